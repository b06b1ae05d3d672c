#include "account.h"

#include "backendfactory.h"
#include "chatsession.h"
#include "messagemodel.h"
#include "roomfiltermodel.h"
#include "roomlistmodel.h"

#include <QDir>

namespace natter::desktop {

using client::Backend;

Account::Account(AccountConfig config, const QString &storageDir, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_storageDir(storageDir)
{
    Backend::Settings settings;
    settings.serverUrl = m_config.serverUrl;
    settings.path = m_config.path;
    settings.signIn.username = m_config.username;
    settings.signIn.token = m_config.token;
    settings.signIn.cookie = m_config.cookie;
    settings.tls.trustedFingerprint = m_config.tlsFingerprint;
    settings.tls.extraCaCertificates = m_config.caCertificates;
    std::unique_ptr<Backend> backend = client::makeBackend(m_config.dialect, settings);
    if (!backend) {
        m_lastError = tr("This app cannot speak the '%1' dialect.").arg(m_config.dialect);
        return;
    }
    Backend *backendPtr = backend.get();
    m_session = std::make_unique<client::ChatSession>(
        std::move(backend), QDir(m_storageDir).filePath(m_config.id + QStringLiteral(".sqlite")));
    m_filter = std::make_unique<client::RoomFilterModel>();
    m_filter->setSourceModel(m_session->rooms());

    connect(backendPtr, &Backend::connectionStateChanged, this, &Account::connectionStateChanged);
    connect(backendPtr, &Backend::errorOccurred, this, [this](const QString &message) {
        m_lastError = message;
        emit lastErrorChanged();
    });
    connect(backendPtr, &Backend::connected, this, [this] {
        if (m_lastError.isEmpty())
            return;
        m_lastError.clear();
        emit lastErrorChanged();
    });
    connect(backendPtr, &Backend::connected, backendPtr, [backendPtr] {
        if (backendPtr->can(Backend::Capability::Stamps))
            backendPtr->loadStamps();
    });
    connect(backendPtr, &Backend::stampsLoaded, this, [this](const QList<client::Stamp> &stamps) {
        m_stamps.clear();
        for (const client::Stamp &stamp : stamps) {
            m_stamps.append(QVariantMap{{QStringLiteral("stampId"), stamp.id},
                                        {QStringLiteral("name"), stamp.name},
                                        {QStringLiteral("emoji"), stamp.emoji}});
        }
        emit stampsChanged();
    });
    connect(m_session.get(), &client::ChatSession::messageArrived, this, &Account::onMessage);
}

Account::~Account()
{
    // The session disconnects on its way out: nobody must hear about it from a half-destroyed account.
    if (m_session)
        disconnect(&m_session->backend(), nullptr, this, nullptr);
}

QString Account::label() const
{
    const QString who = m_config.displayName.isEmpty() ? m_config.username : m_config.displayName;
    return who.isEmpty() ? serverAddress() : who;
}

QString Account::railName() const
{
    if (!m_config.serverName.isEmpty())
        return m_config.serverName;
    if (!m_config.railName.isEmpty())
        return m_config.railName;
    QString dialect = m_config.dialect;
    if (!dialect.isEmpty())
        dialect[0] = dialect[0].toUpper();
    const int port = m_config.serverUrl.port();
    return port > 0 ? dialect + u' ' + QString::number(port) : dialect + u' ' + m_config.serverUrl.host();
}

QString Account::railInitials() const
{
    if (!m_config.serverName.isEmpty() || !m_config.railName.isEmpty())
        return {};
    return m_config.dialect.left(2).toUpper();
}

void Account::setRailName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed == m_config.railName)
        return;
    m_config.railName = trimmed;
    emit railNameChanged();
}

QString Account::serverAddress() const
{
    const QUrl &url = m_config.serverUrl;
    return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
}

QString Account::connectionState() const
{
    if (!m_session)
        return QStringLiteral("offline");
    switch (m_session->backend().connectionState()) {
    case Backend::ConnectionState::Connected:
        return QStringLiteral("online");
    case Backend::ConnectionState::Connecting:
        return QStringLiteral("connecting");
    case Backend::ConnectionState::Reconnecting:
        return QStringLiteral("reconnecting");
    case Backend::ConnectionState::Disconnected:
        break;
    }
    return QStringLiteral("offline");
}

QString Account::selfId() const
{
    return m_session ? m_session->backend().self().id : QString();
}

bool Account::start()
{
    if (!m_session)
        return false;
    if (!QDir().mkpath(m_storageDir) || !m_session->start()) {
        m_lastError = tr("Cannot open the local storage: %1").arg(m_session->storageError());
        emit lastErrorChanged();
        return false;
    }
    return true;
}

client::MessageModel *Account::openRoom(const QString &roomKey)
{
    if (!m_session || roomKey.isEmpty())
        return nullptr;
    if (!m_openRoomKey.isEmpty() && m_openRoomKey != roomKey)
        m_session->closeRoom(m_openRoomKey);
    m_openRoomKey = roomKey;
    client::MessageModel *model = m_session->openRoom(roomKey);
    m_session->rooms()->markRead(roomKey);
    return model;
}

void Account::closeRoom(const QString &roomKey)
{
    if (!m_session)
        return;
    m_session->closeRoom(roomKey);
    if (m_openRoomKey == roomKey)
        m_openRoomKey.clear();
}

void Account::loadOlder(const QString &roomKey)
{
    if (!m_session || roomKey != m_openRoomKey)
        return;
    client::MessageModel *model = m_session->openRoom(roomKey);
    if (model->canFetchMore())
        model->fetchMore();
}

QVariantMap Account::roomInfo(const QString &roomKey) const
{
    if (!m_session)
        return {};
    const auto room = m_session->rooms()->room(roomKey);
    if (!room)
        return {};
    const bool direct = room->kind == RoomKind::Direct;
    return {{QStringLiteral("name"), room->name},
            {QStringLiteral("kind"), direct ? QStringLiteral("direct") : QStringLiteral("group")},
            {QStringLiteral("isDirect"), direct},
            {QStringLiteral("otherPersonId"), room->other.id}};
}

QString Account::stampEmoji(const QString &stampId) const
{
    for (const QVariant &stamp : m_stamps) {
        const QVariantMap map = stamp.toMap();
        if (map.value(QStringLiteral("stampId")).toString() == stampId)
            return map.value(QStringLiteral("emoji")).toString();
    }
    return {};
}

void Account::setPrivacy(bool sendReadReceipts, bool sendTyping)
{
    if (!m_session)
        return;
    m_session->setProperty("sendReadReceipts", sendReadReceipts);
    m_session->setProperty("sendTyping", sendTyping);
}

void Account::onMessage(const client::ChatMessage &message)
{
    if (message.outgoing)
        return;
    const auto room = m_session->rooms()->room(message.roomKey);
    const QString roomName = room ? room->name : message.roomKey;
    const QString sender = message.sender.displayName.isEmpty() ? message.sender.username
                                                                 : message.sender.displayName;
    QString text = message.text;
    if (message.kind == MessageKind::Stamp)
        text = tr("Sent a stamp");
    else if (message.kind == MessageKind::Location)
        text = tr("Shared a location");
    emit messageArrived(message.roomKey, roomName, sender, text);
}

} // namespace natter::desktop

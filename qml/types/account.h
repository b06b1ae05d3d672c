#pragma once

// One account in the rail: its saved config and, once started, the
// ChatSession QML binds to (rooms, messages, typing, presence, …).

#include "accountconfig.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace natter::client {
class ChatSession;
class MessageModel;
class RoomFilterModel;
struct ChatMessage;
} // namespace natter::client

namespace natter::desktop {

class Account : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Accounts come from App")
    Q_MOC_INCLUDE("chatsession.h")
    Q_MOC_INCLUDE("roomfiltermodel.h")
    Q_MOC_INCLUDE("messagemodel.h")

    Q_PROPERTY(QString accountId READ accountId CONSTANT)
    Q_PROPERTY(QString label READ label CONSTANT)
    Q_PROPERTY(QString serverAddress READ serverAddress CONSTANT)
    // The server's own name, else its address.
    Q_PROPERTY(QString serverName READ serverName CONSTANT)
    // What the rail's badge shows: the server's own name, else the name the user
    // gave it (renameInRail), else the dialect and port ("Cable 3000"), so that
    // servers on one host do not all read "127.0.0.1".
    Q_PROPERTY(QString railName READ railName NOTIFY railNameChanged)
    // The badge's letters while railName is the default: the dialect's ("CA",
    // "CH", "SO"…), so that servers on one machine differ; else empty (initials of railName).
    Q_PROPERTY(QString railInitials READ railInitials NOTIFY railNameChanged)
    Q_PROPERTY(QString dialect READ dialect CONSTANT)
    Q_PROPERTY(QString username READ username CONSTANT)
    Q_PROPERTY(bool hosted READ hosted CONSTANT)
    // "offline", "connecting", "online" or "reconnecting"
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(natter::client::ChatSession *session READ session CONSTANT)
    Q_PROPERTY(natter::client::RoomFilterModel *roomFilter READ roomFilter CONSTANT)
    Q_PROPERTY(QVariantList stamps READ stamps NOTIFY stampsChanged)
    Q_PROPERTY(QString selfId READ selfId NOTIFY connectionStateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    // `storageDir`: where the account's cache/outbox file goes.
    Account(AccountConfig config, const QString &storageDir, QObject *parent = nullptr);
    ~Account() override;

    const AccountConfig &config() const { return m_config; }
    QString accountId() const { return m_config.id; }
    QString label() const;
    QString serverAddress() const;
    QString serverName() const { return m_config.serverName.isEmpty() ? serverAddress() : m_config.serverName; }
    QString railName() const;
    QString railInitials() const;
    void setRailName(const QString &name);
    QString dialect() const { return m_config.dialect; }
    QString username() const { return m_config.username; }
    bool hosted() const { return m_config.hosted; }
    QString connectionState() const;
    client::ChatSession *session() const { return m_session.get(); }
    client::RoomFilterModel *roomFilter() const { return m_filter.get(); }
    QVariantList stamps() const { return m_stamps; }
    QString selfId() const;
    QString lastError() const { return m_lastError; }

    // Opens storage and connects. False (lastError says why) when the storage can't open.
    bool start();

    // The room's messages for the view; marks the room read.
    Q_INVOKABLE natter::client::MessageModel *openRoom(const QString &roomKey);
    Q_INVOKABLE void closeRoom(const QString &roomKey);
    // The next older page of the open room, when there is one and none is loading.
    Q_INVOKABLE void loadOlder(const QString &roomKey);
    // name, kind ("direct"/"group"), isDirect, otherPersonId of a room; empty when unknown.
    Q_INVOKABLE QVariantMap roomInfo(const QString &roomKey) const;
    Q_INVOKABLE QString stampEmoji(const QString &stampId) const;

    void setPrivacy(bool sendReadReceipts, bool sendTyping);

signals:
    void railNameChanged();
    void connectionStateChanged();
    void stampsChanged();
    void lastErrorChanged();
    // A message from someone else (for desktop notifications and the tray count).
    void messageArrived(const QString &roomKey, const QString &roomName, const QString &sender, const QString &text);

private:
    void onMessage(const client::ChatMessage &message);

    AccountConfig m_config;
    QString m_storageDir;
    std::unique_ptr<client::ChatSession> m_session;
    std::unique_ptr<client::RoomFilterModel> m_filter;
    QVariantList m_stamps;
    QString m_lastError;
    QString m_openRoomKey;
};

} // namespace natter::desktop

#include "discoveredservermodel.h"

#include <QHostAddress>

namespace natter::discovery {
namespace {

constexpr quint16 defaultServerPort = 8000; // natter --headless's default
const QString manualPrefix = QStringLiteral("manual:");

struct HostAndPort
{
    QString host;
    quint16 port = defaultServerPort;

    // The canonical spelling: "host:port", IPv6 in brackets.
    QString text() const
    {
        return (host.contains(u':') ? u'[' + host + u']' : host) + u':' + QString::number(port);
    }
};

std::optional<HostAndPort> parseHostAndPort(const QString &input)
{
    const QString text = input.trimmed();
    HostAndPort parsed;
    QString portText;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        parsed.host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':'))
            return std::nullopt;
        portText = rest.mid(1);
    } else if (text.count(u':') == 1) {
        parsed.host = text.section(u':', 0, 0);
        portText = text.section(u':', 1);
    } else if (text.count(u':') > 1) {
        parsed.host = text; // a bare IPv6 address
    } else {
        parsed.host = text;
    }
    if (!portText.isEmpty() || text.endsWith(u':')) {
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return std::nullopt;
        parsed.port = static_cast<quint16>(port);
    }
    parsed.host = parsed.host.toLower();
    // A host name or an address; QUrl refuses anything else (spaces, slashes…).
    QUrl check;
    check.setHost(parsed.host, QUrl::StrictMode);
    if (parsed.host.isEmpty() || !check.isValid() || check.host().isEmpty())
        return std::nullopt;
    if (parsed.host.contains(u':') && QHostAddress(parsed.host).isNull())
        return std::nullopt;
    return parsed;
}

QUrl serverUrl(const QString &scheme, const QString &host, quint16 port)
{
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host);
    url.setPort(port);
    return url;
}

// A manual host's probe asks over http: a TLS port's refusal is an answer too.
QUrl httpUrl(const QString &host, quint16 port) { return serverUrl(QStringLiteral("http"), host, port); }
QUrl httpsUrl(const QString &host, quint16 port) { return serverUrl(QStringLiteral("https"), host, port); }

} // namespace

DiscoveredServerModel::DiscoveredServerModel(DiscoveryChannel channel, QObject *parent)
    : QAbstractListModel(parent)
    , m_channel(channel)
    , m_browser(channel)
{
    m_clock.start();
    m_expiryTimer.setInterval(std::max(std::chrono::milliseconds(50), m_channel.interval / 2));
    connect(&m_expiryTimer, &QTimer::timeout, this, &DiscoveredServerModel::dropExpired);
    connect(&m_browser, &LanBrowser::beaconReceived, this, &DiscoveredServerModel::addBeacon);
    connect(&m_probe, &HostProbe::probed, this, &DiscoveredServerModel::onProbed);
}

bool DiscoveredServerModel::start()
{
    const bool wasListening = isListening();
    const bool listening = m_browser.start();
    if (listening != wasListening)
        emit listeningChanged();
    return listening;
}

void DiscoveredServerModel::stop()
{
    if (!isListening())
        return;
    m_browser.stop();
    emit listeningChanged();
}

int DiscoveredServerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant DiscoveredServerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case HostRole:
        return row.host;
    case PortRole:
        return int(row.port);
    case DialectsRole:
        return row.dialects;
    case UrlRole:
        return row.tlsFingerprint.isEmpty() ? httpUrl(row.host, row.port) : httpsUrl(row.host, row.port);
    case TlsFingerprintRole:
        return row.tlsFingerprint;
    case LastSeenRole:
        return row.lastSeen;
    case ManualRole:
        return row.manual;
    case ReachableRole:
        return row.reachable;
    case CheckingRole:
        return row.checking;
    case PathsRole:
        return row.paths;
    default:
        return {};
    }
}

QHash<int, QByteArray> DiscoveredServerModel::roleNames() const
{
    return {{NameRole, QByteArrayLiteral("name")},         {HostRole, QByteArrayLiteral("host")},
            {PortRole, QByteArrayLiteral("port")},         {DialectsRole, QByteArrayLiteral("dialects")},
            {UrlRole, QByteArrayLiteral("url")},           {LastSeenRole, QByteArrayLiteral("lastSeen")},
            {ManualRole, QByteArrayLiteral("manual")},     {ReachableRole, QByteArrayLiteral("reachable")},
            {CheckingRole, QByteArrayLiteral("checking")}, {PathsRole, QByteArrayLiteral("paths")},
            {TlsFingerprintRole, QByteArrayLiteral("tlsFingerprint")}};
}

void DiscoveredServerModel::addBeacon(const LanBeacon &beacon, const QHostAddress &sender)
{
    QVariantMap paths;
    for (auto it = beacon.paths.cbegin(); it != beacon.paths.cend(); ++it)
        paths.insert(it.key(), it.value());
    const int existing = rowOf(beacon.id);
    if (existing < 0) {
        Row row;
        row.key = beacon.id;
        row.host = sender.toString();
        row.name = beacon.name;
        row.port = beacon.port;
        row.dialects = beacon.dialects;
        row.paths = paths;
        row.tlsFingerprint = beacon.tlsFingerprint;
        row.lastSeen = QDateTime::currentDateTime();
        row.lastHeardMs = m_clock.elapsed();
        row.reachable = true;
        insertRow(std::move(row));
        m_expiryTimer.start();
        return;
    }
    // The same server heard again, perhaps on another address: keep the
    // address first heard while it keeps announcing, refresh the rest.
    Row &row = m_rows[existing];
    row.name = beacon.name;
    row.port = beacon.port;
    row.dialects = beacon.dialects;
    row.paths = paths;
    row.tlsFingerprint = beacon.tlsFingerprint;
    row.lastSeen = QDateTime::currentDateTime();
    row.lastHeardMs = m_clock.elapsed();
    changed(existing);
}

QByteArray DiscoveredServerModel::announcedFingerprint(const QString &host, quint16 port) const
{
    for (const Row &row : m_rows) {
        if (!row.manual && row.host == host && row.port == port)
            return row.tlsFingerprint;
    }
    return {};
}

bool DiscoveredServerModel::addManualHost(const QString &hostAndPort)
{
    const auto parsed = parseHostAndPort(hostAndPort);
    if (!parsed)
        return false;
    const QString key = manualPrefix + parsed->text();
    if (rowOf(key) >= 0)
        return true;
    Row row;
    row.key = key;
    row.name = parsed->text();
    row.host = parsed->host;
    row.port = parsed->port;
    row.manual = true;
    insertRow(std::move(row));
    startProbe(m_rows.last());
    changed(static_cast<int>(m_rows.size()) - 1);
    notifyManualHostsChanged();
    return true;
}

void DiscoveredServerModel::removeManualHost(const QString &hostAndPort)
{
    const auto parsed = parseHostAndPort(hostAndPort);
    const int row = parsed ? rowOf(manualPrefix + parsed->text()) : -1;
    if (row < 0)
        return;
    removeRowAt(row);
    notifyManualHostsChanged();
}

void DiscoveredServerModel::probeManualHosts()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].manual && !m_rows[i].checking) {
            startProbe(m_rows[i]);
            changed(i);
        }
    }
}

QStringList DiscoveredServerModel::manualHosts() const
{
    QStringList hosts;
    for (const Row &row : m_rows) {
        if (row.manual)
            hosts.append(row.key.mid(manualPrefix.size()));
    }
    return hosts;
}

void DiscoveredServerModel::setManualHosts(const QStringList &hosts)
{
    QStringList wanted;
    for (const QString &host : hosts) {
        if (const auto parsed = parseHostAndPort(host))
            wanted.append(parsed->text());
    }
    const QStringList before = manualHosts();
    m_settingManualHosts = true; // one manualHostsChanged for the whole list
    for (const QString &host : before) {
        if (!wanted.contains(host))
            removeManualHost(host);
    }
    for (const QString &host : std::as_const(wanted))
        addManualHost(host);
    m_settingManualHosts = false;
    if (manualHosts() != before)
        emit manualHostsChanged();
}

void DiscoveredServerModel::notifyManualHostsChanged()
{
    if (!m_settingManualHosts)
        emit manualHostsChanged();
}

void DiscoveredServerModel::startProbe(Row &row)
{
    row.checking = true;
    m_probe.probe(row.key, httpUrl(row.host, row.port));
}

void DiscoveredServerModel::onProbed(const QString &key, bool reachable)
{
    const int row = rowOf(key);
    if (row < 0)
        return; // removed while the probe ran
    m_rows[row].checking = false;
    m_rows[row].reachable = reachable;
    if (reachable)
        m_rows[row].lastSeen = QDateTime::currentDateTime();
    changed(row);
}

void DiscoveredServerModel::dropExpired()
{
    const qint64 now = m_clock.elapsed();
    const qint64 expiryMs = m_channel.expiry().count();
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        if (!m_rows[i].manual && now - m_rows[i].lastHeardMs > expiryMs)
            removeRowAt(i);
    }
    if (!hasLanRows())
        m_expiryTimer.stop();
}

bool DiscoveredServerModel::hasLanRows() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &row) { return !row.manual; });
}

int DiscoveredServerModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == key)
            return i;
    }
    return -1;
}

void DiscoveredServerModel::insertRow(Row row)
{
    const int position = static_cast<int>(m_rows.size());
    beginInsertRows({}, position, position);
    m_rows.append(std::move(row));
    endInsertRows();
    emit countChanged();
}

void DiscoveredServerModel::removeRowAt(int row)
{
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    emit countChanged();
}

void DiscoveredServerModel::changed(int row)
{
    const QModelIndex index = this->index(row);
    emit dataChanged(index, index);
}

} // namespace natter::discovery

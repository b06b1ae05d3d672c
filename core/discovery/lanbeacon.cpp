#include "lanbeacon.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace natter::discovery {
namespace {

constexpr qsizetype maxIdLength = 64;
constexpr qsizetype maxNameLength = 100;
constexpr qsizetype maxDialects = 16;
constexpr qsizetype maxWordLength = 32;
constexpr qsizetype maxPathLength = 200;

bool isWord(const QString &text)
{
    if (text.isEmpty() || text.size() > maxWordLength)
        return false;
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
    });
}

} // namespace

QByteArray LanBeacon::encode() const
{
    QJsonObject object{{QStringLiteral("natter"), version},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("port"), port},
                       {QStringLiteral("dialects"), QJsonArray::fromStringList(dialects)}};
    if (!paths.isEmpty()) {
        QJsonObject pathObject;
        for (auto it = paths.cbegin(); it != paths.cend(); ++it)
            pathObject.insert(it.key(), it.value());
        object.insert(QStringLiteral("paths"), pathObject);
    }
    if (!tlsFingerprint.isEmpty())
        object.insert(QStringLiteral("tls"), QString::fromLatin1(tlsFingerprint.toHex()));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<LanBeacon> LanBeacon::decode(const QByteArray &datagram)
{
    if (datagram.isEmpty() || datagram.size() > maxDatagramBytes)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(datagram, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value(QStringLiteral("natter")) != QJsonValue(version))
        return std::nullopt;

    LanBeacon beacon;
    beacon.id = object.value(QStringLiteral("id")).toString();
    beacon.name = object.value(QStringLiteral("name")).toString().trimmed();
    if (beacon.id.isEmpty() || beacon.id.size() > maxIdLength || beacon.name.isEmpty()
        || beacon.name.size() > maxNameLength)
        return std::nullopt;

    const QJsonValue port = object.value(QStringLiteral("port"));
    const double portNumber = port.toDouble(-1);
    if (!port.isDouble() || portNumber < 1 || portNumber > 65535 || portNumber != std::floor(portNumber))
        return std::nullopt;
    beacon.port = static_cast<quint16>(portNumber);

    const QJsonValue dialects = object.value(QStringLiteral("dialects"));
    if (!dialects.isArray() || dialects.toArray().isEmpty() || dialects.toArray().size() > maxDialects)
        return std::nullopt;
    for (const QJsonValue &dialect : dialects.toArray()) {
        if (!isWord(dialect.toString()))
            return std::nullopt;
        beacon.dialects.append(dialect.toString());
    }

    const QJsonValue paths = object.value(QStringLiteral("paths"));
    if (!paths.isUndefined()) {
        if (!paths.isObject() || paths.toObject().size() > maxDialects)
            return std::nullopt;
        const QJsonObject pathObject = paths.toObject();
        for (auto it = pathObject.constBegin(); it != pathObject.constEnd(); ++it) {
            const QString path = it.value().toString();
            if (!isWord(it.key()) || !path.startsWith(u'/') || path.size() > maxPathLength)
                return std::nullopt;
            beacon.paths.insert(it.key(), path);
        }
    }
    const QJsonValue tls = object.value(QStringLiteral("tls"));
    if (!tls.isUndefined()) {
        const QByteArray hex = tls.toString().toLatin1();
        const QByteArray fingerprint = QByteArray::fromHex(hex);
        if (!tls.isString() || hex.size() != 64 || fingerprint.size() != 32 || fingerprint.toHex() != hex.toLower())
            return std::nullopt;
        beacon.tlsFingerprint = fingerprint;
    }
    return beacon;
}

} // namespace natter::discovery

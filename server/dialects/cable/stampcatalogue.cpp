#include "stampcatalogue.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <iterator>

namespace natter::server::cable {
namespace {

constexpr Stamp stamps[] = {
    {1, "thumbs_up", "\xF0\x9F\x91\x8D"},   // 👍
    {2, "heart", "\xE2\x9D\xA4\xEF\xB8\x8F"}, // ❤️
    {3, "laugh", "\xF0\x9F\x98\x82"},       // 😂
    {4, "smile", "\xF0\x9F\x98\x8A"},       // 😊
    {5, "wow", "\xF0\x9F\x98\xAE"},         // 😮
    {6, "sad", "\xF0\x9F\x98\xA2"},         // 😢
    {7, "angry", "\xF0\x9F\x98\xA0"},       // 😠
    {8, "clap", "\xF0\x9F\x91\x8F"},        // 👏
    {9, "party", "\xF0\x9F\x8E\x89"},       // 🎉
    {10, "ok", "\xF0\x9F\x91\x8C"},         // 👌
    {11, "thanks", "\xF0\x9F\x99\x8F"},     // 🙏
    {12, "fire", "\xF0\x9F\x94\xA5"},       // 🔥
};

QByteArray buildJson()
{
    QJsonArray array;
    for (const Stamp &stamp : stamps) {
        array.append(QJsonObject{{QStringLiteral("id"), stamp.id},
                                 {QStringLiteral("name"), QString::fromLatin1(stamp.name)},
                                 {QStringLiteral("emoji"), QString::fromUtf8(stamp.emoji)}});
    }
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

const Stamp *findStamp(qint64 id)
{
    for (const Stamp &stamp : stamps) {
        if (stamp.id == id)
            return &stamp;
    }
    return nullptr;
}

const QByteArray &catalogueJson()
{
    static const QByteArray json = buildJson();
    return json;
}

const QByteArray &catalogueEtag()
{
    static const QByteArray etag = '"'
        + QCryptographicHash::hash(catalogueJson(), QCryptographicHash::Sha256).toHex().left(32)
        + '"';
    return etag;
}

} // namespace natter::server::cable

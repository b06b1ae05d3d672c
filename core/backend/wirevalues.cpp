#include "wirevalues.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace natter::client {

QString idString(const QJsonValue &value)
{
    if (value.isDouble())
        return QString::number(value.toInteger());
    return value.toString();
}

QDateTime parseWireTime(const QJsonValue &value)
{
    if (value.isDouble()) {
        const qint64 number = value.toInteger();
        if (number <= 0)
            return {};
        return number > 100'000'000'000LL ? QDateTime::fromMSecsSinceEpoch(number, Qt::UTC)
                                          : QDateTime::fromSecsSinceEpoch(number, Qt::UTC);
    }
    if (value.isString())
        return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return {};
}

bool olderThan(const QString &id, const QString &beforeId)
{
    bool a = false;
    bool b = false;
    const qint64 left = id.toLongLong(&a);
    const qint64 right = beforeId.toLongLong(&b);
    if (a && b)
        return left < right;
    return id != beforeId;
}

void sortNewestFirst(QList<ChatMessage> &messages)
{
    std::stable_sort(messages.begin(), messages.end(), [](const ChatMessage &x, const ChatMessage &y) {
        if (x.createdAt.isValid() && y.createdAt.isValid() && x.createdAt != y.createdAt)
            return x.createdAt > y.createdAt;
        bool a = false;
        bool b = false;
        const qint64 left = x.id.toLongLong(&a);
        const qint64 right = y.id.toLongLong(&b);
        return a && b && left > right;
    });
}

QString httpErrorText(int status, const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QString error = object.value(QStringLiteral("error")).toString();
    if (error.isEmpty())
        error = object.value(QStringLiteral("detail")).toString();
    if (!error.isEmpty())
        return error;
    return status == 0 ? QStringLiteral("Server unreachable") : QStringLiteral("HTTP %1").arg(status);
}

} // namespace natter::client

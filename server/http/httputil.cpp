#include "httputil.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace natter::server::http {

QHttpServerResponse error(Status status, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), message}}, status);
}

QHttpServerResponse json(const QJsonObject &body, Status status)
{
    return QHttpServerResponse(body, status);
}

QHttpServerResponse tooManyRequests(const QString &message, std::chrono::milliseconds retryAfter)
{
    QHttpServerResponse response = error(Status::TooManyRequests, message);
    const qint64 seconds = std::max<qint64>(1, (retryAfter.count() + 999) / 1000);
    response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
    return response;
}

QHttpServerResponse noContent()
{
    return QHttpServerResponse(Status::NoContent);
}

std::optional<QJsonObject> jsonBody(const QHttpServerRequest &request, QString *problem)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("Invalid JSON: ") + parseError.errorString();
        return std::nullopt;
    }
    if (!document.isObject()) {
        *problem = QStringLiteral("Expected a JSON object");
        return std::nullopt;
    }
    return document.object();
}

QByteArray header(const QHttpServerRequest &request, QByteArrayView name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString cookie(const QList<QByteArray> &cookieHeaders, QByteArrayView name)
{
    for (const QByteArray &line : cookieHeaders) {
        for (const QByteArray &pair : line.split(';')) {
            const qsizetype equals = pair.indexOf('=');
            if (equals < 0)
                continue;
            if (pair.left(equals).trimmed() == name)
                return QString::fromUtf8(pair.mid(equals + 1).trimmed());
        }
    }
    return {};
}

QString cookie(const QHttpServerRequest &request, QByteArrayView name)
{
    QList<QByteArray> lines;
    for (const auto &[key, value] : request.headers()) {
        if (key.compare("cookie", Qt::CaseInsensitive) == 0)
            lines.append(value);
    }
    return cookie(lines, name);
}

QString origin(const QHttpServerRequest &request)
{
    QByteArray host = header(request, "host");
    if (host.isEmpty())
        host = request.url().authority().toUtf8();
    return QStringLiteral("http://") + QString::fromUtf8(host);
}

QJsonValue timestamp(const QDateTime &when)
{
    if (!when.isValid())
        return QJsonValue::Null;
    return when.toUTC().toString(Qt::ISODateWithMs);
}

std::optional<qint64> positiveId(const QJsonValue &value)
{
    qint64 id = 0;
    if (value.isDouble()) {
        const double number = value.toDouble();
        id = static_cast<qint64>(number);
        if (static_cast<double>(id) != number)
            return std::nullopt;
    } else if (value.isString()) {
        bool ok = false;
        id = value.toString().toLongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (id <= 0)
        return std::nullopt;
    return id;
}

} // namespace natter::server::http

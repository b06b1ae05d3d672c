#pragma once

// Small helpers shared by every REST route: JSON bodies, errors, timestamps.

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QJsonValue>
#include <chrono>
#include <optional>

namespace natter::server::http {

using Status = QHttpServerResponse::StatusCode;

// {"error": message} with the given status.
QHttpServerResponse error(Status status, const QString &message);
QHttpServerResponse json(const QJsonObject &body, Status status = Status::Ok);
QHttpServerResponse noContent();
// 429 {"error": message} with Retry-After: the wait in whole seconds (at least 1).
QHttpServerResponse tooManyRequests(const QString &message, std::chrono::milliseconds retryAfter);

// The request body as a JSON object; nullopt (and `problem` set) when it is
// not valid JSON or not an object.
std::optional<QJsonObject> jsonBody(const QHttpServerRequest &request, QString *problem);

// A header value (case-insensitive name).
QByteArray header(const QHttpServerRequest &request, QByteArrayView name);
// A cookie from the Cookie header.
QString cookie(const QHttpServerRequest &request, QByteArrayView name);
QString cookie(const QList<QByteArray> &cookieHeaders, QByteArrayView name);

// "scheme://host:port" the client used to reach us (from the Host header).
QString origin(const QHttpServerRequest &request);

// ISO 8601 UTC with milliseconds and a trailing Z; JSON null for a null time.
QJsonValue timestamp(const QDateTime &when);

// A positive integer from a JSON value that may be a number or a numeric string.
std::optional<qint64> positiveId(const QJsonValue &value);

} // namespace natter::server::http

#pragma once

// Small readings of wire values every adapter needs: ids that come as numbers
// or strings, times as ISO text or unix seconds/milliseconds, error bodies.

#include "chattypes.h"

#include <QJsonValue>

namespace natter::client {

// A number as its decimal text, a string as it is.
QString idString(const QJsonValue &value);
// ISO 8601 text, or unix seconds (or milliseconds, for large numbers).
QDateTime parseWireTime(const QJsonValue &value);
// Natter's ids are integers: compared numerically when both are.
bool olderThan(const QString &id, const QString &beforeId);
// Newest first: by time, then by numeric id.
void sortNewestFirst(QList<ChatMessage> &messages);
// The server's {"error"} (or {"detail"}) text, else "HTTP status" / "Server unreachable".
QString httpErrorText(int status, const QByteArray &body);

} // namespace natter::client

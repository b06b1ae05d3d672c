#include "gatewayrestapi.h"

#include "authenticator.h"
#include "gatewayformat.h"
#include "gatewaythreads.h"
#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "storequeries.h"

#include <QHttpServer>
#include <QUrlQuery>
#include <algorithm>

namespace natter::server {
namespace {

using Method = QHttpServerRequest::Method;

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

QHttpServerResponse unauthorized()
{
    return http::error(http::Status::Unauthorized, str("Authentication required"));
}

QHttpServerResponse threadNotFound()
{
    return http::error(http::Status::NotFound, str("Thread not found"));
}

// A non-negative integer query parameter; `fallback` when absent, nullopt when malformed.
std::optional<int> queryNumber(const QHttpServerRequest &request, const char *name, int fallback)
{
    const QUrlQuery query(request.url());
    if (!query.hasQueryItem(str(name)))
        return fallback;
    bool ok = false;
    const int value = query.queryItemValue(str(name)).toInt(&ok);
    return ok && value >= 0 ? std::optional<int>(value) : std::nullopt;
}

} // namespace

GatewayRestApi::GatewayRestApi(ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
}

void GatewayRestApi::registerRoutes(QHttpServer &server)
{
    server.route(str("/thread"), Method::Get,
                 [this](const QHttpServerRequest &request) { return listThreads(request); });
    server.route(str("/thread/<arg>"), Method::Get,
                 [this](const QString &id, const QHttpServerRequest &request) {
                     return threadMessages(id, request);
                 });
    server.route(str("/thread/<arg>/approve"), Method::Post,
                 [this](const QString &id, const QHttpServerRequest &request) {
                     return setState(id, true, request);
                 });
    server.route(str("/thread/<arg>/block"), Method::Post,
                 [this](const QString &id, const QHttpServerRequest &request) {
                     return setState(id, false, request);
                 });
}

QHttpServerResponse GatewayRestApi::listThreads(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    return QHttpServerResponse(gateway::threadsOf(m_context, caller->user.id));
}

QHttpServerResponse GatewayRestApi::threadMessages(const QString &threadId,
                                                   const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const auto room = gateway::visibleThread(m_context, threadId, caller->user.id);
    if (!room)
        return threadNotFound();
    const std::optional<int> limit = queryNumber(request, "limit", defaultPageSize);
    const std::optional<int> offset = queryNumber(request, "offset", 0);
    if (!limit || !offset || *limit < 1)
        return http::error(http::Status::BadRequest,
                           str("limit must be a positive integer and offset a non-negative one"));

    // The newest `limit` messages after skipping `offset`, shown oldest first.
    QList<MessageRecord> page =
        m_context.queries.messages(room->id, std::min(*limit, maxPageSize), *offset);
    std::reverse(page.begin(), page.end());
    QHash<qint64, UserRecord> senders;
    QJsonArray messages;
    for (const MessageRecord &message : std::as_const(page)) {
        auto sender = senders.find(message.senderId);
        if (sender == senders.end())
            sender = senders.insert(message.senderId,
                                    m_context.queries.userById(message.senderId).value_or(UserRecord{}));
        messages.append(gateway::message(message, sender.value(), *room));
    }
    return QHttpServerResponse(messages);
}

QHttpServerResponse GatewayRestApi::setState(const QString &threadId, bool approve,
                                             const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const auto room = gateway::visibleThread(m_context, threadId, caller->user.id);
    if (!room)
        return threadNotFound();
    if (caller->user.role != UserRole::Tutor)
        return http::error(http::Status::Forbidden, str("Only tutors can approve or block threads"));
    // Only the side the request went to (not the one who opened the thread)
    // answers it; it may later block an approved thread or approve a blocked one.
    if (room->createdBy == caller->user.id)
        return threadNotFound();

    const MembershipState state = approve ? MembershipState::Active : MembershipState::Blocked;
    switch (m_context.hub.setThreadState(caller->user.id, room->id, state)) {
    case MembershipOutcome::Done:
        break;
    case MembershipOutcome::NotFound:
        return threadNotFound();
    case MembershipOutcome::Forbidden:
    case MembershipOutcome::Conflict:
    case MembershipOutcome::Failed:
        return http::error(http::Status::InternalServerError, str("Could not update the thread"));
    }
    const auto updated = m_context.queries.roomById(room->id);
    return http::json(gateway::thread(m_context, updated.value_or(*room), caller->user.id));
}

} // namespace natter::server

// Every REST route that reads a JSON body, through the real HTTP server
// (TestServer: a ChatServer on a loopback port the OS picks): the first byte
// of the input picks the route, the rest is the body, sent as alice. Bad
// bodies must get a 4xx; a 5xx or no answer at all is a find.

#include "testserver.h"

#include <QCoreApplication>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

struct Fixture
{
    Fixture()
    {
        static int argc = 1;
        static char name[] = "natter-fuzz";
        static char *argv[] = {name, nullptr};
        static QCoreApplication app(argc, argv);
        natter::server::ServerConfig config = natter::test::TestServer::defaultConfig();
        // Limits answer by time and count: off, so an input means the same every time.
        config.loginFailuresPerUsername = 0;
        config.loginFailuresPerAddress = 0;
        config.maxConnectionsPerUser = 0;
        server = std::make_unique<natter::test::TestServer>(config);
        if (!server->start())
            std::abort();
        alice = server->registerUser(u"alice"_s);
        bob = server->registerUser(u"bob"_s);
        const natter::test::HttpReply group =
            server->post(u"/api/groups"_s, QJsonObject{{u"name"_s, u"fuzzers"_s}}, alice.token);
        groupId = group.json.value(u"id"_s).toInteger();
        if (alice.token.isEmpty() || groupId <= 0)
            std::abort();
    }

    std::unique_ptr<natter::test::TestServer> server;
    natter::test::Account alice;
    natter::test::Account bob;
    qint64 groupId = 0;
};


} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Fixture fixture;
    if (size == 0)
        return 0;
    const QString routes[] = {
        u"/api/auth/register"_s,
        u"/api/auth/login"_s,
        u"/api/groups"_s,
        u"/api/v1.0/chat/rooms/"_s,
        u"/api/v1.0/chat/messages/"_s,
        u"/api/v1.0/chat/health-check/"_s,
        u"/api/groups/invite"_s,
        u"/api/groups/accept"_s,
        u"/api/groups/decline"_s,
        u"/api/notifications/read"_s,
        u"/thread/%1/approve"_s.arg(fixture.groupId),
        u"/thread/%1/block"_s.arg(fixture.groupId),
    };
    const QString &route = routes[data[0] % std::size(routes)];
    const QByteArray body(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const natter::test::HttpReply reply = fixture.server->post(route, body, fixture.alice.token);
    if (reply.status == 0 || reply.status >= 500) {
        qCritical("POST %s answered %d: %s", qPrintable(route), reply.status, reply.body.constData());
        std::abort();
    }
    return 0;
}

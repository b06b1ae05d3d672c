// What an idle WebSocket costs the server in resident memory, transport by
// transport, without a load generator: N connected socket pairs, the server
// end of each served by a WebSocketConnection (and then also the SocketLink a
// session talks through), RSS measured before and after.
//
//   bench_wsidle [N]   (default 8000; needs 2N descriptors: the soft limit is raised to the hard one)
//
// The bench kit's idle row (run_side_by_side.sh) measures the whole
// connection (session, hub, kernel-facing state); this isolates the transport.

#include "epolleventdispatcher.h"
#include "residentmemory.h"
#include "socketlink.h"
#include "websocketconnection.h"

#include <QCoreApplication>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace natter::server;

int main(int argc, char *argv[])
{
    if (auto dispatcher = natter::engine::createServerEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher.release());
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 8000;
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, rlim_t(2 * count + 64));
    setrlimit(RLIMIT_NOFILE, &files);

    std::vector<int> clientEnds;
    std::vector<int> serverEnds;
    for (int i = 0; i < count; ++i) {
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
            std::fprintf(stderr, "socketpair failed after %d pairs\n", i);
            return 1;
        }
        clientEnds.push_back(pair[0]);
        serverEnds.push_back(pair[1]);
    }
    QCoreApplication::processEvents();

    const qint64 before = natter::test::residentKiB();
    std::vector<std::unique_ptr<SocketPipe>> pipes;
    pipes.reserve(size_t(count));
    for (int fd : serverEnds)
        pipes.push_back(std::make_unique<WebSocketConnection>(fd, QByteArray(), QByteArray(), 64 * 1024));
    QCoreApplication::processEvents();
    const qint64 withConnections = natter::test::residentKiB();

    std::vector<std::unique_ptr<SocketLink>> links;
    links.reserve(size_t(count));
    for (auto &pipe : pipes)
        links.push_back(std::make_unique<SocketLink>(std::move(pipe), nullptr, 1024 * 1024));
    QCoreApplication::processEvents();
    const qint64 withLinks = natter::test::residentKiB();

    std::printf("%d idle connections\n", count);
    std::printf("WebSocketConnection (QObject, one socket notifier): %.2f KiB each\n",
                double(withConnections - before) / count);
    std::printf("+ SocketLink (QObject, four signal connections):      %.2f KiB each\n",
                double(withLinks - withConnections) / count);

    links.clear();
    for (int fd : clientEnds)
        ::close(fd);
    return 0;
}

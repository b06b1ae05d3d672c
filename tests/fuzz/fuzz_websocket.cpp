// Our RFC 6455 transport (WebSocketConnection) on bytes a client could send:
// the first byte says where the input splits between what arrived with the
// handshake (`early`) and what is read from the socket afterwards, the rest
// is the stream. The peer end of a socket pair writes it and then shuts its
// write side, so every input ends with the connection gone (a hang is a find).
//
// Also: the UTF-8 validator fed byte by byte agrees with the one-shot check.

#include "websocketconnection.h"
#include "websocketframing.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sys/socket.h>
#include <unistd.h>

namespace {

QCoreApplication &application()
{
    static int argc = 1;
    static char name[] = "natter-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    return app;
}

void checkUtf8(QByteArrayView bytes)
{
    using namespace natter::server::websocket;
    Utf8Validator piecewise;
    bool valid = true;
    for (char byte : bytes)
        valid = piecewise.feed(QByteArrayView(&byte, 1)) && valid;
    valid = valid && piecewise.atCharacterBoundary();
    if (valid != isValidUtf8(bytes))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    application();
    if (size == 0)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    checkUtf8(input);
    const qsizetype split = std::min<qsizetype>(data[0], input.size());

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0)
        std::abort();
    const QByteArrayView streamed = input.sliced(split);
    if (!streamed.isEmpty()
        && ::send(pair[1], streamed.data(), size_t(streamed.size()), MSG_NOSIGNAL) != streamed.size())
        std::abort();
    ::shutdown(pair[1], SHUT_WR);

    bool gone = false;
    int messages = 0;
    {
        natter::server::WebSocketConnection connection(pair[0], {}, input.first(split).toByteArray(),
                                                       1024);
        QObject::connect(&connection, &natter::server::SocketPipe::textReceived,
                         [&messages](const QString &) { ++messages; });
        QObject::connect(&connection, &natter::server::SocketPipe::disconnected,
                         [&gone] { gone = true; });
        const QDeadlineTimer deadline(5000);
        char sink[4096];
        while (!gone) {
            if (deadline.hasExpired())
                std::abort(); // the connection neither closed nor saw the end of the stream
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            while (::recv(pair[1], sink, sizeof sink, 0) > 0) { } // what it answers
        }
    }
    ::close(pair[1]);
    return 0;
}

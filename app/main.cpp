// natter: the desktop app, `--headless` server, `users` administration and `cli`.

#include "clicommand.h"
#include "desktopcommand.h"
#include "discovercommand.h"
#include "headlesscommand.h"
#include "userscommand.h"
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

namespace {

// The desktop app runs with no arguments, or only with the options it knows.
bool wantsDesktop(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument != "--hidden")
            return false;
    }
    return true;
}

bool wantsHeadless(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (QByteArray(argv[i]) == "--headless")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (wantsDesktop(argc, argv))
        return natter::app::runDesktop(argc, argv);

    // The server's thread runs on epoll (see EpollEventDispatcher); NATTER_EVENT_DISPATCHER=qt
    // keeps Qt's own, for comparing the two.
    if (wantsHeadless(argc, argv)) {
        if (auto dispatcher = natter::engine::createServerEventDispatcher())
            QCoreApplication::setEventDispatcher(dispatcher.release());
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && arguments.at(1) == u"users")
        return natter::app::runUsers(arguments);
    if (arguments.size() > 1 && arguments.at(1) == u"cli")
        return natter::app::runCli(arguments);
    if (arguments.size() > 1 && arguments.at(1) == u"discover")
        return natter::app::runDiscover(arguments);

    // --help, --version, bad flags and --headless share one parser.
    return natter::app::runHeadless(arguments);
}

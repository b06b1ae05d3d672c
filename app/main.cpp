// natter: the desktop app, `--headless` server, `users` administration and `cli`.

#include "clicommand.h"
#include "discovercommand.h"
#include "headlesscommand.h"
#include "userscommand.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

int main(int argc, char *argv[])
{
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
    const bool headless = arguments.contains(QStringLiteral("--headless"));
    const bool informational = arguments.contains(QStringLiteral("--help"))
        || arguments.contains(QStringLiteral("-h")) || arguments.contains(QStringLiteral("--version"))
        || arguments.contains(QStringLiteral("-v"));
    if (headless || informational || arguments.size() > 1)
        return natter::app::runHeadless(arguments);

    QTextStream(stderr) << "natter: this build has no desktop UI yet; run 'natter --headless' "
                           "or see 'natter --help'.\n";
    return 2;
}

#include "userscommand.h"

#include "passwordhasher.h"
#include "serveroptions.h"
#include "store.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <cstdio>

namespace natter::app {
namespace {

constexpr int usageError = 2;

QString readPasswordFromStdin()
{
    QTextStream in(stdin);
    return in.readLine();
}

class UsersCommand
{
public:
    UsersCommand()
        : m_out(stdout)
        , m_err(stderr)
    {
    }

    int run(const QStringList &arguments);

private:
    int add(const QStringList &positional);
    int list();
    int setRole(const QStringList &positional);
    int passwd(const QStringList &positional);
    int fail(const QString &message, int code = 1)
    {
        m_err << "natter users: " << message << Qt::endl;
        return code;
    }
    QString password();

    QCommandLineParser m_parser;
    QCommandLineOption m_role{QStringLiteral("role"), QStringLiteral("user, tutor or admin (default user)."),
                              QStringLiteral("role"), QStringLiteral("user")};
    QCommandLineOption m_password{QStringLiteral("password"),
                                  QStringLiteral("The password (otherwise read from the first line of stdin)."),
                                  QStringLiteral("password")};
    QCommandLineOption m_displayName{QStringLiteral("display-name"), QStringLiteral("Name shown to others."),
                                     QStringLiteral("name")};
    server::Store m_store;
    server::PasswordHasher m_hasher;
    QTextStream m_out;
    QTextStream m_err;
};

int UsersCommand::run(const QStringList &arguments)
{
    m_parser.setApplicationDescription(QStringLiteral(
        "Manage accounts:\n"
        "  natter users add NAME [--role user|tutor|admin] [--password P] [--display-name D]\n"
        "  natter users list\n"
        "  natter users set-role NAME ROLE\n"
        "  natter users passwd NAME [--password P]\n"
        "Without --password the password is read from the first line of stdin."));
    m_parser.addHelpOption();
    m_parser.addOptions({m_role, m_password, m_displayName});
    ServerOptions storage;
    storage.addTo(m_parser);
    m_parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("add, list, set-role or passwd"));

    // arguments: natter users …; the parser wants the program name first.
    QStringList forParser = arguments;
    forParser.removeAt(1);
    if (!m_parser.parse(forParser))
        return fail(m_parser.errorText(), usageError);
    if (m_parser.isSet(QStringLiteral("help"))) {
        m_out << m_parser.helpText();
        return 0;
    }
    const QStringList positional = m_parser.positionalArguments();
    if (positional.isEmpty())
        return fail(QStringLiteral("which command? add, list, set-role or passwd"), usageError);

    server::ServerConfig config;
    QString error;
    if (!storage.apply(m_parser, config, &error))
        return fail(error, usageError);
    if (!server::PasswordHasher::initialise())
        return fail(QStringLiteral("libsodium could not be initialised"));
    if (!m_store.open(config.database))
        return fail(QStringLiteral("cannot open the database: ") + m_store.lastErrorText());

    const QString command = positional.first();
    if (command == u"add")
        return add(positional);
    if (command == u"list")
        return list();
    if (command == u"set-role")
        return setRole(positional);
    if (command == u"passwd")
        return passwd(positional);
    return fail(QStringLiteral("unknown command '%1'").arg(command), usageError);
}

QString UsersCommand::password()
{
    return m_parser.isSet(m_password) ? m_parser.value(m_password) : readPasswordFromStdin();
}

int UsersCommand::add(const QStringList &positional)
{
    if (positional.size() != 2)
        return fail(QStringLiteral("usage: natter users add NAME [--role ROLE]"), usageError);
    const QString name = positional.at(1);
    const auto role = userRoleFromString(m_parser.value(m_role));
    if (!role)
        return fail(QStringLiteral("--role must be user, tutor or admin"), usageError);
    const QString secret = password();
    if (secret.size() < 8)
        return fail(QStringLiteral("the password must be at least 8 characters"), usageError);
    const QString displayName = m_parser.isSet(m_displayName) ? m_parser.value(m_displayName) : name;
    const auto user = m_store.createUser(name, displayName, m_hasher.hash(secret), *role);
    if (!user) {
        if (m_store.lastError() == server::StoreError::Conflict)
            return fail(QStringLiteral("user '%1' already exists").arg(name));
        return fail(m_store.lastErrorText());
    }
    m_out << "added " << user->username << " (id " << user->id << ", " << toString(user->role) << ")" << Qt::endl;
    return 0;
}

int UsersCommand::list()
{
    m_out << QStringLiteral("%1  %2  %3  %4").arg(QStringLiteral("id"), -6).arg(QStringLiteral("username"), -20)
                 .arg(QStringLiteral("role"), -6).arg(QStringLiteral("display name"))
          << Qt::endl;
    for (const server::UserRecord &user : m_store.users()) {
        m_out << QStringLiteral("%1  %2  %3  %4").arg(user.id, -6).arg(user.username, -20)
                     .arg(toString(user.role), -6).arg(user.displayName)
              << Qt::endl;
    }
    return 0;
}

int UsersCommand::setRole(const QStringList &positional)
{
    if (positional.size() != 3)
        return fail(QStringLiteral("usage: natter users set-role NAME ROLE"), usageError);
    const auto role = userRoleFromString(positional.at(2));
    if (!role)
        return fail(QStringLiteral("ROLE must be user, tutor or admin"), usageError);
    const auto user = m_store.userByName(positional.at(1));
    if (!user)
        return fail(QStringLiteral("no user '%1'").arg(positional.at(1)));
    if (!m_store.setUserRole(user->id, *role))
        return fail(m_store.lastErrorText());
    m_out << user->username << " is now " << toString(*role) << Qt::endl;
    return 0;
}

int UsersCommand::passwd(const QStringList &positional)
{
    if (positional.size() != 2)
        return fail(QStringLiteral("usage: natter users passwd NAME [--password P]"), usageError);
    const auto user = m_store.userByName(positional.at(1));
    if (!user)
        return fail(QStringLiteral("no user '%1'").arg(positional.at(1)));
    const QString secret = password();
    if (secret.size() < 8)
        return fail(QStringLiteral("the password must be at least 8 characters"), usageError);
    if (!m_store.setPasswordHash(user->id, m_hasher.hash(secret)))
        return fail(m_store.lastErrorText());
    m_out << "password changed for " << user->username << Qt::endl;
    return 0;
}

} // namespace

int runUsers(const QStringList &arguments)
{
    UsersCommand command;
    return command.run(arguments);
}

} // namespace natter::app

#pragma once

// main() for desktop tests: a QApplication whose QSettings and app data live in
// a throwaway directory (XDG_CONFIG_HOME / XDG_DATA_HOME set before the
// application exists), so a test never reads or writes the user's own.

#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

namespace natter::testing {

template <typename TestObject>
int runIsolatedDesktopTest(int argc, char *argv[], const QString &applicationName)
{
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", QDir(home.path()).filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", QDir(home.path()).filePath(QStringLiteral("data")).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("NatterTest"));
    QApplication::setApplicationName(applicationName);
    TestObject test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace natter::testing

// Runs tests/qml/tst_*.qml. The components use the Theme singleton, which
// reads App.settings: a DesktopApp over temporary directories stands in for
// the one main() makes, so no test touches the user's settings or data.

#include "desktopapp.h"

#include <QQmlEngine>
#include <QQuickStyle>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>
#include <memory>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

class QmlTestSetup : public QObject
{
    Q_OBJECT

public slots:
    void applicationAvailable()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        // The app's style, so the tests see the controls users see.
        QQuickStyle::setStyle(QStringLiteral("Material"));
        m_app = std::make_unique<natter::desktop::DesktopApp>(m_dataDir.path());
    }

    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral("qrc:/qt/qml")); }

    void cleanupTestCase() { m_app.reset(); }

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dataDir;
    std::unique_ptr<natter::desktop::DesktopApp> m_app;
};

QUICK_TEST_MAIN_WITH_SETUP(qmlcomponents, QmlTestSetup)

#include "tst_qmlcomponents.moc"

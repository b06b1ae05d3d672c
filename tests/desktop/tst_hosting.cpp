// Hosting from the app: the embedded server starts where the user asked, the
// host's own account is created and signed in, the LAN address is shown;
// stopping closes every client with 1001 and keeps the data; the next start
// (and the next launch of the app) brings it back.

#include "account.h"
#include "accountlistmodel.h"
#include "chatserver.h"
#include "desktopapp.h"
#include "domain.h"
#include "hostingcontroller.h"
#include "tlstrust.h"
#include "isolateddesktoptest.h"
#include "natterprocess.h"
#include "store.h"
#include "wsclient.h"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using natter::testing::postJson;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

// GET over https from a server that must show the certificate `fingerprint`.
QJsonObject getJson(const QUrl &url, const QByteArray &fingerprint, const QString &token = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = network.get(request);
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, fingerprint] {
        if (reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256) == fingerprint)
            reply->ignoreSslErrors();
    });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return json;
}
} // namespace

class TestHosting : public QObject
{
    Q_OBJECT
    QTemporaryDir m_data;

private slots:
    void hostStopResumeAndRelaunch()
    {
        quint16 port = 0;
        QByteArray fingerprint;
        {
            natter::desktop::DesktopApp app(m_data.path());
            QSignalSpy restored(&app, &natter::desktop::DesktopApp::restored);
            app.restore();
            QVERIFY(restored.wait(15000));
            QVERIFY(!app.hosting()->running());

            QSignalSpy joined(&app, &natter::desktop::DesktopApp::joined);
            QSignalSpy failed(&app, &natter::desktop::DesktopApp::hostFailed);
            app.hostServer(s("Office"), s("127.0.0.1"), 0, s("owner"), s("password123"));
            QVERIFY(app.hosting()->running());
            QVERIFY2(joined.wait(15000), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

            // The host's account: first in the rail, hosted, signed in, an administrator.
            natter::desktop::Account *owner = app.currentAccount();
            QVERIFY(owner);
            QVERIFY(owner->hosted());
            QCOMPARE(app.accounts()->at(0), owner);
            QCOMPARE(owner->serverName(), s("Office"));
            QTRY_COMPARE_WITH_TIMEOUT(owner->connectionState(), s("online"), 10000);
            // The server runs on a thread of its own, not this (the GUI) one.
            QVERIFY(app.hosting()->serverThread()->isRunning());
            QVERIFY(app.hosting()->serverThread() != QThread::currentThread());

            // What others type to join, and what the server says about itself.
            port = quint16(app.hosting()->port());
            QVERIFY(port > 0);
            QCOMPARE(app.hosting()->address(), s("127.0.0.1:%1").arg(port));
            // TLS by default: a self-signed certificate in the data directory,
            // its key readable by this user only; the owner's account trusts it.
            fingerprint = app.hosting()->tlsFingerprint();
            QCOMPARE(fingerprint.size(), 32);
            QCOMPARE(app.hosting()->fingerprint(), natter::client::displayFingerprint(fingerprint));
            QCOMPARE(app.hosting()->localUrl().scheme(), s("https"));
            const QString keyFile = app.hosting()->tlsKeyFile();
            QVERIFY(keyFile.startsWith(m_data.path()));
            const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
                | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
            QVERIFY(QFile::permissions(keyFile).testFlag(QFileDevice::ReadOwner));
            QCOMPARE(QFile::permissions(keyFile) & others, QFileDevice::Permissions()); // mode 0600
            QCOMPARE(owner->config().tlsFingerprint, fingerprint);
            QCOMPARE(owner->config().serverUrl.scheme(), s("https"));
            const QUrl base(s("https://127.0.0.1:%1").arg(port));
            QCOMPARE(getJson(base.resolved(QUrl(s("/api/natter"))), fingerprint).value(s("name")).toString(),
                     s("Office"));
            QTRY_COMPARE_WITH_TIMEOUT(getJson(base.resolved(QUrl(s("/api/auth/me"))), fingerprint,
                                              owner->config().token).value(s("role")).toString(),
                                      s("admin"), 10000);

            // A guest connects; stopping hosting closes the guest with 1001.
            const QString guestToken = postJson(base.resolved(QUrl(s("/api/auth/register"))),
                                                {{s("username"), s("guest")}, {s("password"), s("password123")}})
                                           .value(s("token"))
                                           .toString();
            QVERIFY(!guestToken.isEmpty());
            natter::test::WsClient guest;
            QVERIFY(guest.open(QUrl(s("wss://127.0.0.1:%1/cable?token=%2").arg(port).arg(guestToken))));
            QTRY_COMPARE_WITH_TIMEOUT(app.hosting()->connectedCount(), 2, 10000); // owner + guest

            QSignalSpy stopped(app.hosting(), &natter::desktop::HostingController::stopped);
            app.stopHosting();
            QVERIFY(guest.waitForDisconnect(10000));
            QCOMPARE(guest.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
            QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000);
            QVERIFY(!app.hosting()->running());
            QTRY_VERIFY_WITH_TIMEOUT(owner->connectionState() != s("online"), 10000);

            // Start again: same port, the data is still there, the owner is back online.
            app.resumeHosting();
            QVERIFY(app.hosting()->running());
            QCOMPARE(app.hosting()->port(), int(port));
            QVERIFY(!postJson(base.resolved(QUrl(s("/api/auth/login"))),
                              {{s("username"), s("guest")}, {s("password"), s("password123")}})
                         .value(s("token"))
                         .toString()
                         .isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(owner->connectionState(), s("online"), 20000);
        }

        // The next launch hosts again and signs the owner in from the saved token.
        natter::desktop::DesktopApp relaunched(m_data.path());
        QSignalSpy restored(&relaunched, &natter::desktop::DesktopApp::restored);
        relaunched.restore();
        QVERIFY(restored.wait(15000));
        QVERIFY(relaunched.hosting()->running());
        QCOMPARE(relaunched.hosting()->port(), int(port));
        QCOMPARE(relaunched.hosting()->tlsFingerprint(), fingerprint); // the same certificate: trust survives
        QCOMPARE(relaunched.accounts()->count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(relaunched.currentAccount()->connectionState(), s("online"), 10000);
    }
};

int main(int argc, char *argv[])
{
    return natter::testing::runIsolatedDesktopTest<TestHosting>(argc, argv, QStringLiteral("natter-hosting"));
}

#include "tst_hosting.moc"

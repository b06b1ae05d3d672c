// How late the GUI thread's event loop runs while the server the app hosts is
// under load: sign-ins (argon2id at its real limits) and posts into a room.
//
//   bench_guilatency [hosted|inline] [signins] [posts]
//
// hosted (default): the server as the app runs it, HostingController, on a thread
// of its own. inline: a ChatServer on the GUI thread, as the app hosted before.
// The load comes from another thread (its own QNetworkAccessManager, 8 requests
// in flight). On the GUI thread a 5 ms timer notes how late each tick is;
// printed: p50 / p99 / max lateness during the load, and how long the load took.

#include "chatserver.h"
#include "hostcertificate.h"
#include "hostingcontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Drives the load from its own thread; emits done() when every request answered.
class Load : public QObject
{
    Q_OBJECT
public:
    Load(QUrl base, int signins, int posts) : m_base(std::move(base)), m_signins(signins), m_posts(posts) { }

    void run()
    {
        m_network = std::make_unique<QNetworkAccessManager>();
        connect(m_network.get(), &QNetworkAccessManager::sslErrors, this,
                [](QNetworkReply *reply) { reply->ignoreSslErrors(); }); // the host's own certificate
        // Two users and a room between them, then the load.
        request(u"/api/auth/register"_s, {{u"username"_s, u"alice"_s}, {u"password"_s, u"password123"_s}}, {},
                [this](const QJsonObject &alice) {
            m_aliceToken = alice.value(u"token"_s).toString();
            request(u"/api/auth/register"_s, {{u"username"_s, u"bob"_s}, {u"password"_s, u"password123"_s}}, {},
                    [this](const QJsonObject &bob) {
                const qint64 bobId = bob.value(u"user"_s).toObject().value(u"id"_s).toInteger();
                request(u"/api/v1.0/chat/rooms/"_s, {{u"participant"_s, bobId}}, m_aliceToken,
                        [this](const QJsonObject &room) {
                    m_room = room.value(u"id"_s).toInteger();
                    emit started();
                    for (int i = 0; i < 8; ++i)
                        next();
                });
            });
        });
    }

signals:
    void started();
    void done();

private:
    void next()
    {
        if (m_sentSignins < m_signins) {
            const QString name = u"user%1"_s.arg(m_sentSignins++);
            ++m_inFlight;
            request(u"/api/auth/register"_s, {{u"username"_s, name}, {u"password"_s, u"password123"_s}}, {},
                    [this, name](const QJsonObject &) {
                request(u"/api/auth/login"_s, {{u"username"_s, name}, {u"password"_s, u"password123"_s}}, {},
                        [this](const QJsonObject &) { finished(); });
            });
        } else if (m_sentPosts < m_posts) {
            ++m_sentPosts;
            ++m_inFlight;
            request(u"/api/v1.0/chat/messages/"_s, {{u"room"_s, m_room}, {u"content"_s, u"load"_s}}, m_aliceToken,
                    [this](const QJsonObject &) { finished(); });
        } else if (m_inFlight == 0 && !m_done) {
            m_done = true;
            emit done();
        }
    }
    void finished()
    {
        --m_inFlight;
        next();
    }
    void request(const QString &path, const QJsonObject &body, const QString &token,
                 std::function<void(const QJsonObject &)> then)
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QNetworkReply *reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, this, [reply, then = std::move(then)] {
            reply->deleteLater();
            then(QJsonDocument::fromJson(reply->readAll()).object());
        });
    }

    QUrl m_base;
    int m_signins;
    int m_posts;
    int m_sentSignins = 0;
    int m_sentPosts = 0;
    int m_inFlight = 0;
    bool m_done = false;
    qint64 m_room = 0;
    QString m_aliceToken;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool hosted = args.value(1, u"hosted"_s) != u"inline";
    const int signins = args.value(2, u"20"_s).toInt();
    const int posts = args.value(3, u"500"_s).toInt();
    QTemporaryDir dir;

    std::unique_ptr<natter::desktop::HostingController> hosting;
    std::unique_ptr<natter::server::ChatServer> inlineServer;
    QUrl base;
    if (hosted) {
        hosting = std::make_unique<natter::desktop::HostingController>(dir.filePath(u"host"_s));
        if (!hosting->start(u"Bench"_s, u"127.0.0.1"_s, 0)) {
            std::fprintf(stderr, "cannot host: %s\n", qPrintable(hosting->errorString()));
            return 1;
        }
        base = hosting->localUrl();
    } else {
        QDir().mkpath(dir.filePath(u"host"_s));
        natter::server::ServerConfig config;
        config.name = u"Bench"_s;
        config.listenAddress = QHostAddress::LocalHost;
        config.dataDir = dir.filePath(u"host"_s);
        config.database = natter::server::DatabaseUrl::sqlite(dir.filePath(u"host/natter.db"_s));
        QString error;
        const auto certificate = natter::tls::ensureHostCertificate(config.dataDir, config.name, {}, &error);
        if (!certificate)
            return 1;
        config.tlsCertificateFile = certificate->certificate;
        config.tlsKeyFile = certificate->key;
        inlineServer = std::make_unique<natter::server::ChatServer>(config);
        if (!inlineServer->start()) {
            std::fprintf(stderr, "cannot start: %s\n", qPrintable(inlineServer->errorString()));
            return 1;
        }
        base.setScheme(u"https"_s);
        base.setHost(u"127.0.0.1"_s);
        base.setPort(inlineServer->port());
    }

    QThread loadThread;
    auto *load = new Load(base, signins, posts);
    load->moveToThread(&loadThread);
    QObject::connect(&loadThread, &QThread::finished, load, &QObject::deleteLater);
    loadThread.start();

    constexpr int tickMs = 5;
    std::vector<double> lateness;
    bool measuring = false;
    QElapsedTimer clock;
    QElapsedTimer loadClock;
    qint64 last = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && last > 0)
            lateness.push_back(std::max(0.0, double(now - last) / 1e6 - tickMs));
        last = now;
    });
    QObject::connect(load, &Load::started, &app, [&] {
        measuring = true;
        loadClock.start();
    });
    QObject::connect(load, &Load::done, &app, [&] {
        measuring = false;
        std::printf("%s: %d sign-ins + %d posts in %.1f s; GUI loop late by p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                    "(%zu ticks of %d ms)\n",
                    hosted ? "hosted (own thread)" : "inline (GUI thread)", signins, posts,
                    double(loadClock.elapsed()) / 1000.0, percentile(lateness, 0.5), percentile(lateness, 0.99),
                    lateness.empty() ? 0.0 : *std::max_element(lateness.begin(), lateness.end()), lateness.size(),
                    tickMs);
        app.quit();
    });
    clock.start();
    ticker.start(tickMs);
    QMetaObject::invokeMethod(load, &Load::run);
    const int status = app.exec();
    loadThread.quit();
    loadThread.wait();
    return status;
}

#include "bench_guilatency.moc"

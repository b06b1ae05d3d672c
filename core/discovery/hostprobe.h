#pragma once

// Asks a host typed by the user whether a server answers there: a GET of
// Natter's /api/natter introduction. Any HTTP answer counts as reachable;
// refused connections and timeouts do not.

#include <QNetworkAccessManager>
#include <QObject>
#include <chrono>

namespace natter::discovery {

class HostProbe : public QObject
{
    Q_OBJECT
public:
    explicit HostProbe(QObject *parent = nullptr);

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // Answers with probed(key, …) once; `key` is the caller's name for the host.
    void probe(const QString &key, const QUrl &baseUrl);

signals:
    void probed(const QString &key, bool reachable);

private:
    QNetworkAccessManager m_network;
    std::chrono::milliseconds m_timeout{3000};
};

} // namespace natter::discovery

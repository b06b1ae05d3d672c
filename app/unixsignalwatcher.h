#pragma once

// SIGINT/SIGTERM (and SIGHUP) as Qt signals: the handler only writes to a socket pair,
// and a QSocketNotifier brings the news to the event loop.

#include <QObject>
#include <memory>

class QSocketNotifier;

class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested(int signalNumber); // SIGINT, SIGTERM
    void reloadRequested();                      // SIGHUP

private:
    void readSignal();
    std::unique_ptr<QSocketNotifier> m_notifier;
};

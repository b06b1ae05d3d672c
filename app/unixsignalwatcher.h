#pragma once

// SIGINT/SIGTERM as a Qt signal: the handler only writes to a socket pair,
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
    void terminationRequested(int signalNumber);

private:
    void readSignal();
    std::unique_ptr<QSocketNotifier> m_notifier;
};

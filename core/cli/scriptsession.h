#pragma once

// `natter cli`'s protocol: one JSON command per line in, one JSON event per
// line out, over any Backend. The process around it (stdin/stdout, exit
// codes) lives in app/; this is the part worth testing.
//
// Commands: {"cmd":"send","room":ID,"text":…,"temp_id"?:…,"to"?:…}
//           {"cmd":"stamp","room":ID,"stamp":ID}   {"cmd":"location","room":ID,"lat":…,"lng":…}
//           {"cmd":"typing","room":ID,"on":true}   {"cmd":"read","room":ID,"message":ID}
//           {"cmd":"rooms"}  {"cmd":"history","room":ID,"limit":N}  {"cmd":"subscribe","room":ID}
//           Room actions, where the dialect has them (Backend's room actions):
//           {"cmd":"direct","user":USERNAME}  {"cmd":"group","name":…,"members":[USERNAME…]}
//           {"cmd":"invite","room":ID,"user":USERNAME}  {"cmd":"answer","room":ID,"accept":BOOL}
//           {"cmd":"thread","room":ID,"approve":BOOL}
//           (people are named by username; the session finds them with a people search)
// Events:   connected, subscribed, message, ack, failed, status, typing, presence,
//           rooms, history, notification, message_request, error, disconnected,
//           room (a room appeared: created, opened, joined, accepted; either side),
//           action (a keyed room action finished: {"action","room","ok","error"?}).

#include "backend.h"

#include <QBasicTimer>
#include <QJsonObject>
#include <QObject>
#include <QMultiHash>
#include <chrono>
#include <functional>

namespace natter::client {

class MessageSender;

class ScriptSession : public QObject
{
    Q_OBJECT
public:
    ScriptSession(Backend &backend, MessageSender &sender, QObject *parent = nullptr);

    void handleLine(const QByteArray &line);
    // Input ended: wait until every queued message is acknowledged (or failed),
    // at most `timeout`, then finish with 0.
    void finishInput(std::chrono::milliseconds timeout);

    static QJsonObject messageEvent(const ChatMessage &message);

signals:
    void event(const QJsonObject &event);
    void finished(int exitCode);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void command(const QJsonObject &command);
    void roomAction(const QString &name, const QJsonObject &command);
    // The people with these usernames (a people search each), then `then`;
    // an unknown one is an error event and `then` does not run.
    void withPeople(const QStringList &usernames, std::function<void(const QList<Person> &)> then);
    void error(const QString &message);
    void finishIfDrained();

    Backend &m_backend;
    MessageSender &m_sender;
    QList<QJsonObject> m_beforeConnect; // commands that need the connection, held until it is up
    // People searches in flight: query → what waits for its answer.
    QMultiHash<QString, std::function<void(const QList<Person> &)>> m_searches;
    bool m_everConnected = false;
    bool m_inputDone = false;
    bool m_finished = false;
    QBasicTimer m_deadline;
};

} // namespace natter::client

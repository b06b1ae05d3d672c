#pragma once

// Where an account's secrets (the token and session cookie a server handed out)
// are kept: never in the settings file. In the desktop's keyring (Secret
// Service, through QtKeychain) when one answers; otherwise in a JSON file that
// only the user may read (mode 0600), and storage() says so, so the app can tell
// the user. An entry the keyring lacks is looked for in that file too and moved
// into the keyring when found: secrets kept while no keyring ran are not lost
// when one appears.
//
// Operations run one after another in the order they were asked for; each
// callback runs later from the event loop, never inside the call. Keyring jobs
// are not children of the vault: one still running when the vault goes (the app
// quits) finishes on its own and only its answer is dropped.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <optional>

namespace natter::desktop {

struct AccountSecrets
{
    QString token;
    QString cookie;

    bool isEmpty() const { return token.isEmpty() && cookie.isEmpty(); }
    bool operator==(const AccountSecrets &) const = default;
};

class SecretVault : public QObject
{
    Q_OBJECT

public:
    enum class Storage {
        Undecided, // nothing asked yet
        Keyring,   // the keyring answered
        File,      // no keyring: the 0600 file
    };
    Q_ENUM(Storage)

    // service names this app's entries in the keyring; fallbackFile is the 0600
    // file; useKeyring false goes straight to the file.
    SecretVault(QString service, QString fallbackFile, bool useKeyring, QObject *parent = nullptr);
    ~SecretVault() override;

    using ReadDone = std::function<void(const QHash<QString, AccountSecrets> &found)>;
    using WriteDone = std::function<void(bool stored)>;

    // The secrets of these accounts; ids with none are absent from `found`.
    void read(const QStringList &accountIds, ReadDone done);
    void write(const QString &accountId, const AccountSecrets &secrets, WriteDone done = {});
    void remove(const QString &accountId);
    // Nothing queued or running.
    bool idle() const { return !m_running && m_queue.empty(); }
    // Runs the event loop until idle() or `timeoutMs` passed; for the app's way out, so a
    // token written just before quitting is not lost. True when idle.
    bool finishPending(int timeoutMs);

    Storage storage() const { return m_storage; }
    QString fallbackFile() const { return m_fallbackFile; }
    // Why the keyring was given up, as it said (empty while it works).
    QString keyringError() const { return m_keyringError; }

signals:
    void storageChanged();

private:
    void enqueue(std::function<void()> operation);
    void next();
    void finishOperation();

    void readOne(const QString &id, std::function<void(const AccountSecrets &)> done);
    void writeOne(const QString &id, const AccountSecrets &secrets, WriteDone done);
    void removeOne(const QString &id);
    enum class KeyringAnswer {
        Answered, // done, or "no such entry"
        NoKeyring, // none answers (first contact): the file from now on
        Failed,    // this operation failed (access denied, a timeout): the file for this one only
    };
    KeyringAnswer judge(int error, const QString &message);

    AccountSecrets fileRead(const QString &id);
    bool fileWrite(const QString &id, const AccountSecrets &secrets);
    bool fileRemove(const QString &id);
    // The file's entries; nullopt when it exists but cannot be read or parsed
    // (never overwritten then: it may hold other accounts' secrets).
    std::optional<QJsonObject> loadFile() const;
    bool saveFile(const QJsonObject &entries);

    QString m_service;
    QString m_fallbackFile;
    Storage m_storage = Storage::Undecided;
    QString m_keyringError;
    std::deque<std::function<void()>> m_queue;
    bool m_running = false;
};

} // namespace natter::desktop

#include "secretvault.h"

#include <qt6keychain/keychain.h>

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <memory>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace natter::desktop {

namespace {
Q_LOGGING_CATEGORY(lcSecrets, "natter.secrets")

constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString encode(const AccountSecrets &secrets)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{u"token"_s, secrets.token}, {u"cookie"_s, secrets.cookie}})
                                 .toJson(QJsonDocument::Compact));
}

AccountSecrets decode(const QJsonObject &object)
{
    return {object.value(u"token"_s).toString(), object.value(u"cookie"_s).toString()};
}

AccountSecrets decode(const QString &text)
{
    return decode(QJsonDocument::fromJson(text.toUtf8()).object());
}
} // namespace

SecretVault::SecretVault(QString service, QString fallbackFile, bool useKeyring, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
    , m_fallbackFile(std::move(fallbackFile))
    , m_storage(useKeyring ? Storage::Undecided : Storage::File)
{
}

SecretVault::~SecretVault() = default;

void SecretVault::read(const QStringList &accountIds, ReadDone done)
{
    auto found = std::make_shared<QHash<QString, AccountSecrets>>();
    for (const QString &id : accountIds) {
        enqueue([this, id, found] {
            readOne(id, [this, id, found](const AccountSecrets &secrets) {
                if (!secrets.isEmpty())
                    found->insert(id, secrets);
                finishOperation();
            });
        });
    }
    enqueue([this, found, done = std::move(done)] {
        if (done)
            done(*found);
        finishOperation();
    });
}

void SecretVault::write(const QString &accountId, const AccountSecrets &secrets, WriteDone done)
{
    enqueue([this, accountId, secrets, done = std::move(done)] {
        writeOne(accountId, secrets, [this, done](bool stored) {
            if (done)
                done(stored);
            finishOperation();
        });
    });
}

void SecretVault::remove(const QString &accountId)
{
    enqueue([this, accountId] { removeOne(accountId); });
}

void SecretVault::enqueue(std::function<void()> operation)
{
    m_queue.push_back(std::move(operation));
    if (!m_running) {
        m_running = true;
        // Callbacks never run inside the call that asked.
        QTimer::singleShot(0, this, &SecretVault::next);
    }
}

void SecretVault::next()
{
    if (m_queue.empty()) {
        m_running = false;
        return;
    }
    std::function<void()> operation = std::move(m_queue.front());
    m_queue.pop_front();
    operation();
}

void SecretVault::finishOperation()
{
    QTimer::singleShot(0, this, &SecretVault::next);
}

SecretVault::KeyringAnswer SecretVault::judge(int error, const QString &message)
{
    if (error == QKeychain::NoError || error == QKeychain::EntryNotFound) {
        if (m_storage == Storage::Undecided) {
            m_storage = Storage::Keyring;
            emit storageChanged();
        }
        return KeyringAnswer::Answered;
    }
    const bool noBackend = error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
        || error == QKeychain::OtherError; // no session bus, no Secret Service on it
    if (m_storage == Storage::Undecided && noBackend) {
        qCWarning(lcSecrets, "no keyring (%s): secrets are kept in %s, readable only by this user",
                  qPrintable(message), qPrintable(m_fallbackFile));
        m_keyringError = message;
        m_storage = Storage::File;
        emit storageChanged();
        return KeyringAnswer::NoKeyring;
    }
    // The keyring is there but said no this time (locked and the prompt dismissed, a timeout).
    qCWarning(lcSecrets, "the keyring refused (%s): this entry goes to %s", qPrintable(message),
              qPrintable(m_fallbackFile));
    return KeyringAnswer::Failed;
}

bool SecretVault::finishPending(int timeoutMs)
{
    if (idle())
        return true;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll; // idle() has no signal of its own: look after each operation's turn
    connect(&poll, &QTimer::timeout, &loop, [this, &loop] {
        if (idle())
            loop.quit();
    });
    deadline.start(timeoutMs);
    poll.start(10);
    loop.exec();
    return idle();
}

void SecretVault::readOne(const QString &id, std::function<void(const AccountSecrets &)> done)
{
    if (m_storage == Storage::File) {
        done(fileRead(id));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service); // deletes itself when finished
    job->setKey(id);
    connect(job, &QKeychain::Job::finished, this, [this, job, id, done](QKeychain::Job *) {
        if (judge(job->error(), job->errorString()) != KeyringAnswer::Answered) {
            done(fileRead(id));
            return;
        }
        if (job->error() == QKeychain::NoError) {
            done(decode(job->textData()));
            return;
        }
        // Not in the keyring: kept in the file while no keyring ran? Move it in.
        const AccountSecrets kept = fileRead(id);
        if (kept.isEmpty()) {
            done(kept);
            return;
        }
        writeOne(id, kept, [this, id, kept, done](bool stored) {
            if (stored && m_storage == Storage::Keyring)
                fileRemove(id);
            done(kept);
        });
    });
    job->start();
}

void SecretVault::writeOne(const QString &id, const AccountSecrets &secrets, WriteDone done)
{
    if (m_storage == Storage::File) {
        done(fileWrite(id, secrets));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service); // deletes itself when finished
    job->setKey(id);
    job->setTextData(encode(secrets));
    connect(job, &QKeychain::Job::finished, this, [this, job, id, secrets, done](QKeychain::Job *) {
        if (judge(job->error(), job->errorString()) != KeyringAnswer::Answered || job->error() != QKeychain::NoError) {
            done(fileWrite(id, secrets));
            return;
        }
        fileRemove(id); // an older copy kept while the keyring said no
        done(true);
    });
    job->start();
}

void SecretVault::removeOne(const QString &id)
{
    // Gone from both places, whichever held it.
    fileRemove(id);
    if (m_storage == Storage::File) {
        finishOperation();
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service); // deletes itself when finished
    job->setKey(id);
    connect(job, &QKeychain::Job::finished, this, [this, job](QKeychain::Job *) {
        judge(job->error() == QKeychain::CouldNotDeleteEntry ? int(QKeychain::NoError) : job->error(),
              job->errorString());
        finishOperation();
    });
    job->start();
}

AccountSecrets SecretVault::fileRead(const QString &id)
{
    return decode(loadFile().value_or(QJsonObject()).value(id).toObject());
}

bool SecretVault::fileWrite(const QString &id, const AccountSecrets &secrets)
{
    const std::optional<QJsonObject> loaded = loadFile();
    if (!loaded)
        return false;
    QJsonObject entries = *loaded;
    entries.insert(id, QJsonObject{{u"token"_s, secrets.token}, {u"cookie"_s, secrets.cookie}});
    return saveFile(entries);
}

bool SecretVault::fileRemove(const QString &id)
{
    const std::optional<QJsonObject> loaded = loadFile();
    if (!loaded)
        return false;
    QJsonObject entries = *loaded;
    if (!entries.contains(id))
        return true;
    entries.remove(id);
    if (entries.isEmpty())
        return QFile::remove(m_fallbackFile);
    return saveFile(entries);
}

std::optional<QJsonObject> SecretVault::loadFile() const
{
    QFile file(m_fallbackFile);
    if (!file.exists())
        return QJsonObject();
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSecrets, "cannot read %s: %s", qPrintable(m_fallbackFile), qPrintable(file.errorString()));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qCWarning(lcSecrets, "%s is not what Natter wrote (%s); leaving it alone", qPrintable(m_fallbackFile),
                  qPrintable(error.errorString()));
        return std::nullopt;
    }
    return document.object();
}

bool SecretVault::saveFile(const QJsonObject &entries)
{
    QDir().mkpath(QFileInfo(m_fallbackFile).absolutePath());
    // Written beside and renamed over: a crash leaves the old file or the new one, and the
    // new one is created 0600, never readable by others for a moment.
    const QString temporary = m_fallbackFile + u".new"_s;
    QFile::remove(temporary);
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly)) {
        qCWarning(lcSecrets, "cannot write %s: %s", qPrintable(temporary), qPrintable(file.errorString()));
        return false;
    }
    const QByteArray json = QJsonDocument(entries).toJson(QJsonDocument::Compact);
    if (file.write(json) != json.size() || !file.flush()) {
        qCWarning(lcSecrets, "cannot write %s: %s", qPrintable(temporary), qPrintable(file.errorString()));
        file.close();
        QFile::remove(temporary);
        return false;
    }
    ::fsync(file.handle());
    file.close();
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(m_fallbackFile).constData()) != 0) {
        qCWarning(lcSecrets, "cannot replace %s", qPrintable(m_fallbackFile));
        return false;
    }
    return true;
}

} // namespace natter::desktop

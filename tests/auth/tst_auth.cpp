#include "passwordhasher.h"
#include "passwordworkers.h"
#include "tokenservice.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QThread>
#include <QTemporaryDir>
#include <QTest>

#include <jwt.h>

using namespace Qt::StringLiterals;
#include <sodium.h>

#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using namespace natter::server;
using namespace std::chrono_literals;

namespace {

const QByteArray Secret = QByteArrayLiteral("0123456789abcdef0123456789abcdef");
const QByteArray OtherSecret = QByteArrayLiteral("fedcba9876543210fedcba9876543210");

// A fixed clock: 2024-01-01T00:00:00Z.
QDateTime fixedNow()
{
    return QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding);
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Claims as TokenService::issue() writes them, for fixedNow() and 1 h.
QJsonObject validClaims()
{
    const qint64 iat = fixedNow().toSecsSinceEpoch();
    return QJsonObject {{QStringLiteral("sub"), QStringLiteral("42")},
        {QStringLiteral("username"), QStringLiteral("alice")},
        {QStringLiteral("jti"), QStringLiteral("session-1")}, {QStringLiteral("iat"), iat},
        {QStringLiteral("exp"), iat + 3600}};
}

// Signs arbitrary claims with libjwt directly, bypassing TokenService, so the
// suite can make tokens TokenService itself would never issue.
QString signWithLibjwt(jwt_alg_t alg, const QByteArray &secret, const QByteArray &claimsJson)
{
    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return {};
    const std::unique_ptr<jwt_t, void (*)(jwt_t *)> jwt(raw, jwt_free);
    if (jwt_add_grants_json(jwt.get(), claimsJson.constData()) != 0)
        return {};
    if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char *>(secret.constData()),
            int(secret.size()))
        != 0) {
        return {};
    }
    const std::unique_ptr<char, void (*)(void *)> text(jwt_encode_str(jwt.get()), std::free);
    return text ? QString::fromLatin1(text.get()) : QString();
}

QList<QByteArray> tokenParts(const QString &token)
{
    return token.toLatin1().split('.');
}

int fileMode(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

bool writeFile(const QString &path, const QByteArray &bytes, int mode)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return false;
    file.close();
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

constexpr auto OwnerGroupOtherBits = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ExeOwner | QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
    | QFileDevice::ExeOther;
constexpr auto OwnerReadWrite = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

class TstAuth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // PasswordHasher
    void initialiseIsIdempotentAndThreadSafe();
    void hashVerifiesRightPassword_data();
    void hashVerifiesRightPassword();
    void hashRejectsWrongPassword();
    void hashesOfOnePasswordDiffer();
    void hashIsArgon2idWithChosenLimits();
    void interactiveStrength();
    void passwordIsHashedAsUtf8();
    void verifyRejectsMalformedHashes_data();
    void verifyRejectsMalformedHashes();
    void needsRehash();

    // PasswordWorkers
    void workersAnswerOnTheCallersThread();
    void workersAreBounded();
    void workersDropTheAnswerWhenTheContextIsGone();

    // TokenService
    void tokenRoundTrip();
    void tokenHeaderIsHs256();
    void tokenKeepsUnicodeUsername();
    void expiryIsEnforced();
    void otherSecretRejected();
    void tamperedPayloadRejected();
    void tamperedSignatureRejected();
    void algNoneRejected_data();
    void algNoneRejected();
    void otherHmacAlgorithmsRejected_data();
    void otherHmacAlgorithmsRejected();
    void claimsAreValidated_data();
    void claimsAreValidated();
    void garbageRejected_data();
    void garbageRejected();
    void emptySecretIssuesAndAcceptsNothing();
    void issueRefusesUnusableClaims();

    // loadOrCreateSecret
    void secretFileIsCreatedOwnerOnly();
    void secretFileModeIgnoresUmask();
    void secretIsStableAcrossCalls();
    void secretsDifferBetweenDataDirs();
    void loosePermissionsAreTightened();
    void tooShortSecretRefused_data();
    void tooShortSecretRefused();
    void longerOperatorSecretAccepted();

private:
    PasswordHasher m_fast {PasswordHasher::Strength::Minimal};
};

void TstAuth::initTestCase()
{
    QVERIFY(PasswordHasher::initialise());
}

// ---- PasswordHasher -----------------------------------------------------------

void TstAuth::initialiseIsIdempotentAndThreadSafe()
{
    std::atomic<int> successes {0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&successes] {
            if (PasswordHasher::initialise())
                ++successes;
        });
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(successes.load(), 8);
    QVERIFY(PasswordHasher::initialise());
}

void TstAuth::hashVerifiesRightPassword_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("ascii") << QStringLiteral("correct horse battery staple");
    QTest::newRow("unicode") << QStringLiteral("pässwörd \U0001F511 пароль");
    QTest::newRow("empty") << QString();
    QTest::newRow("long") << QString(1000, QLatin1Char('x'));
}

void TstAuth::hashVerifiesRightPassword()
{
    QFETCH(QString, password);
    const QByteArray stored = m_fast.hash(password);
    QVERIFY(!stored.isEmpty());
    QVERIFY(m_fast.verify(password, stored));
}

void TstAuth::hashRejectsWrongPassword()
{
    const QByteArray stored = m_fast.hash(QStringLiteral("secret"));
    QVERIFY(!m_fast.verify(QStringLiteral("Secret"), stored));
    QVERIFY(!m_fast.verify(QStringLiteral("secret "), stored));
    QVERIFY(!m_fast.verify(QString(), stored));
}

void TstAuth::hashesOfOnePasswordDiffer()
{
    const QString password = QStringLiteral("same password");
    const QByteArray first = m_fast.hash(password);
    const QByteArray second = m_fast.hash(password);
    QVERIFY(!first.isEmpty());
    QVERIFY(first != second); // a fresh salt each time
    QVERIFY(m_fast.verify(password, first));
    QVERIFY(m_fast.verify(password, second));
}

void TstAuth::hashIsArgon2idWithChosenLimits()
{
    const QByteArray stored = m_fast.hash(QStringLiteral("pw"));
    QVERIFY2(stored.startsWith("$argon2id$"), stored.constData());
    // OPSLIMIT_MIN = 1 pass, MEMLIMIT_MIN = 8 KiB.
    QVERIFY2(stored.contains("$m=8,t=1,p=1$"), stored.constData());
}

void TstAuth::interactiveStrength()
{
    const PasswordHasher hasher; // Interactive by default
    const QByteArray stored = hasher.hash(QStringLiteral("pw"));
    QVERIFY2(stored.startsWith("$argon2id$"), stored.constData());
    // OPSLIMIT_INTERACTIVE = 2 passes, MEMLIMIT_INTERACTIVE = 64 MiB.
    QVERIFY2(stored.contains("$m=65536,t=2,p=1$"), stored.constData());
    QVERIFY(hasher.verify(QStringLiteral("pw"), stored));
    QVERIFY(!hasher.verify(QStringLiteral("pW"), stored));
    // Parameters travel in the string, so any hasher verifies any hash.
    QVERIFY(m_fast.verify(QStringLiteral("pw"), stored));
}

void TstAuth::passwordIsHashedAsUtf8()
{
    const QString password = QStringLiteral("caf\u00e9 \u00fc\u00df");
    const QByteArray stored = m_fast.hash(password);
    const QByteArray utf8 = password.toUtf8();
    QCOMPARE(crypto_pwhash_str_verify(stored.constData(), utf8.constData(),
                 static_cast<unsigned long long>(utf8.size())),
        0);
    // Latin-1 bytes of the same text must not match.
    const QByteArray latin1 = password.toLatin1();
    QVERIFY(crypto_pwhash_str_verify(stored.constData(), latin1.constData(),
                static_cast<unsigned long long>(latin1.size()))
        != 0);
}

void TstAuth::verifyRejectsMalformedHashes_data()
{
    QTest::addColumn<QByteArray>("stored");
    const QByteArray good = m_fast.hash(QStringLiteral("pw"));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArrayLiteral("not a hash");
    QTest::newRow("prefix only") << QByteArrayLiteral("$argon2id$");
    QTest::newRow("truncated") << good.left(good.size() - 5);
    QTest::newRow("nul then junk") << QByteArray(good + '\0' + "junk");
    QTest::newRow("oversized") << QByteArray(good + QByteArray(200, 'A'));
    QTest::newRow("plaintext") << QByteArrayLiteral("pw");
}

void TstAuth::verifyRejectsMalformedHashes()
{
    QFETCH(QByteArray, stored);
    QVERIFY(!m_fast.verify(QStringLiteral("pw"), stored));
}

void TstAuth::needsRehash()
{
    const PasswordHasher interactive;
    const QByteArray weak = m_fast.hash(QStringLiteral("pw"));
    const QByteArray strong = interactive.hash(QStringLiteral("pw"));
    QVERIFY(interactive.needsRehash(weak));
    QVERIFY(!interactive.needsRehash(strong));
    QVERIFY(!m_fast.needsRehash(weak));
    QVERIFY(interactive.needsRehash(QByteArrayLiteral("garbage")));
    QVERIFY(interactive.needsRehash(QByteArray()));
}

// ---- TokenService -------------------------------------------------------------

void TstAuth::tokenRoundTrip()
{
    QCOMPARE(TokenService(Secret).lifetime(), std::chrono::seconds(std::chrono::hours(24 * 30)));
    const TokenService service(Secret, 3600s);
    QCOMPARE(service.lifetime(), 3600s);
    const QString token
        = service.issue(42, QStringLiteral("alice"), QStringLiteral("session-1"), fixedNow());
    QVERIFY(!token.isEmpty());

    const std::optional<TokenClaims> claims = service.verify(token, fixedNow().addSecs(60));
    QVERIFY(claims);
    QCOMPARE(claims->userId, 42);
    QCOMPARE(claims->username, QStringLiteral("alice"));
    QCOMPARE(claims->sessionId, QStringLiteral("session-1"));
    QCOMPARE(claims->issuedAt, fixedNow());
    QCOMPARE(claims->expiresAt, fixedNow().addSecs(3600));

    // The wire form: sub is a decimal string, iat/exp are integers.
    const QJsonObject payload
        = QJsonDocument::fromJson(fromBase64Url(tokenParts(token).at(1))).object();
    QCOMPARE(payload.value(QStringLiteral("sub")).toString(), QStringLiteral("42"));
    QCOMPARE(payload.value(QStringLiteral("jti")).toString(), QStringLiteral("session-1"));
    QCOMPARE(payload.value(QStringLiteral("iat")).toInteger(), fixedNow().toSecsSinceEpoch());
    QCOMPARE(
        payload.value(QStringLiteral("exp")).toInteger(), fixedNow().toSecsSinceEpoch() + 3600);
}

void TstAuth::tokenHeaderIsHs256()
{
    const TokenService service(Secret);
    const QString token = service.issue(1, QStringLiteral("u"), QStringLiteral("s"), fixedNow());
    const QJsonObject header
        = QJsonDocument::fromJson(fromBase64Url(tokenParts(token).at(0))).object();
    QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
}

void TstAuth::tokenKeepsUnicodeUsername()
{
    const TokenService service(Secret);
    const QString name = QStringLiteral("J\u00fcrgen \u5f20\u4f1f \U0001F600");
    const QString token = service.issue(7, name, QStringLiteral("s"), fixedNow());
    const std::optional<TokenClaims> claims = service.verify(token, fixedNow());
    QVERIFY(claims);
    QCOMPARE(claims->username, name);
}

void TstAuth::expiryIsEnforced()
{
    const TokenService service(Secret, 3600s);
    const QString token
        = service.issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow());
    QVERIFY(service.verify(token, fixedNow().addSecs(3599)));
    QVERIFY(!service.verify(token, fixedNow().addSecs(3600))); // exp must be > now
    QVERIFY(!service.verify(token, fixedNow().addDays(1)));
    QVERIFY(!service.verify(token, QDateTime())); // no clock, no trust
}

void TstAuth::otherSecretRejected()
{
    const QString token = TokenService(OtherSecret)
                              .issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow());
    QVERIFY(!token.isEmpty());
    QVERIFY(!TokenService(Secret).verify(token, fixedNow()));
    QVERIFY(TokenService(OtherSecret).verify(token, fixedNow()));
}

void TstAuth::tamperedPayloadRejected()
{
    const TokenService service(Secret, 3600s);
    const QString token
        = service.issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow());
    const QList<QByteArray> parts = tokenParts(token);

    QJsonObject payload = QJsonDocument::fromJson(fromBase64Url(parts.at(1))).object();
    payload.insert(QStringLiteral("sub"), QStringLiteral("1")); // become user 1
    const QByteArray forged
        = parts.at(0) + '.' + base64Url(compactJson(payload)) + '.' + parts.at(2);
    QVERIFY(!service.verify(QString::fromLatin1(forged), fixedNow()));

    payload = QJsonDocument::fromJson(fromBase64Url(parts.at(1))).object();
    payload.insert(QStringLiteral("exp"), fixedNow().toSecsSinceEpoch() + 10 * 365 * 86400);
    const QByteArray extended
        = parts.at(0) + '.' + base64Url(compactJson(payload)) + '.' + parts.at(2);
    QVERIFY(!service.verify(QString::fromLatin1(extended), fixedNow()));
}

void TstAuth::tamperedSignatureRejected()
{
    const TokenService service(Secret);
    const QString token
        = service.issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow());
    QList<QByteArray> parts = tokenParts(token);
    QByteArray signature = fromBase64Url(parts.at(2));
    signature[0] = char(signature.at(0) ^ 0x01);
    parts[2] = base64Url(signature);
    QVERIFY(!service.verify(QString::fromLatin1(parts.join('.')), fixedNow()));

    parts = tokenParts(token);
    parts[2].chop(1);
    QVERIFY(!service.verify(QString::fromLatin1(parts.join('.')), fixedNow()));
}

void TstAuth::algNoneRejected_data()
{
    QTest::addColumn<QByteArray>("token");
    const QByteArray header = base64Url(QByteArrayLiteral(R"({"alg":"none","typ":"JWT"})"));
    const QByteArray payload = base64Url(compactJson(validClaims()));
    const QByteArray realSignature
        = tokenParts(signWithLibjwt(JWT_ALG_HS256, Secret, compactJson(validClaims()))).at(2);

    QTest::newRow("empty signature") << QByteArray(header + '.' + payload + '.');
    QTest::newRow("no signature part") << QByteArray(header + '.' + payload);
    QTest::newRow("stolen HS256 signature")
        << QByteArray(header + '.' + payload + '.' + realSignature);
    const QByteArray upperNone = base64Url(QByteArrayLiteral(R"({"alg":"None","typ":"JWT"})"));
    QTest::newRow("alg None") << QByteArray(upperNone + '.' + payload + '.');
    const QByteArray noAlg = base64Url(QByteArrayLiteral(R"({"typ":"JWT"})"));
    QTest::newRow("alg missing") << QByteArray(noAlg + '.' + payload + '.' + realSignature);
}

void TstAuth::algNoneRejected()
{
    QFETCH(QByteArray, token);
    QVERIFY(!TokenService(Secret).verify(QString::fromLatin1(token), fixedNow()));
}

void TstAuth::otherHmacAlgorithmsRejected_data()
{
    QTest::addColumn<int>("alg");
    QTest::newRow("HS384") << int(JWT_ALG_HS384);
    QTest::newRow("HS512") << int(JWT_ALG_HS512);
}

void TstAuth::otherHmacAlgorithmsRejected()
{
    QFETCH(int, alg);
    const TokenService service(Secret);
    // Control: the same claims, secret and signer with HS256 are accepted...
    const QString hs256 = signWithLibjwt(JWT_ALG_HS256, Secret, compactJson(validClaims()));
    QVERIFY(service.verify(hs256, fixedNow()));
    // ...so the only thing rejected below is the algorithm.
    const QString other = signWithLibjwt(jwt_alg_t(alg), Secret, compactJson(validClaims()));
    QVERIFY(!other.isEmpty());
    QVERIFY(!service.verify(other, fixedNow()));
}

void TstAuth::claimsAreValidated_data()
{
    QTest::addColumn<QJsonObject>("claims");
    QTest::addColumn<bool>("accepted");

    const auto with = [](const QString &key, const QJsonValue &value) {
        QJsonObject claims = validClaims();
        claims.insert(key, value);
        return claims;
    };
    const auto without = [](const QString &key) {
        QJsonObject claims = validClaims();
        claims.remove(key);
        return claims;
    };
    const qint64 now = fixedNow().toSecsSinceEpoch();
    const QString sub = QStringLiteral("sub"), exp = QStringLiteral("exp"),
                  iat = QStringLiteral("iat"), jti = QStringLiteral("jti");

    QTest::newRow("valid") << validClaims() << true;
    QTest::newRow("no username") << without(QStringLiteral("username")) << true;
    QTest::newRow("large user id") << with(sub, QStringLiteral("9007199254740993")) << true;

    QTest::newRow("no exp") << without(exp) << false;
    QTest::newRow("exp as string") << with(exp, QString::number(now + 3600)) << false;
    QTest::newRow("exp fractional") << with(exp, double(now) + 3600.5) << false;
    QTest::newRow("exp now") << with(exp, now) << false;
    QTest::newRow("exp past") << with(exp, now - 1) << false;
    QTest::newRow("exp null") << with(exp, QJsonValue::Null) << false;
    QTest::newRow("no iat") << without(iat) << false;
    QTest::newRow("iat as string") << with(iat, QString::number(now)) << false;
    QTest::newRow("no sub") << without(sub) << false;
    QTest::newRow("sub as number") << with(sub, 42) << false;
    QTest::newRow("sub zero") << with(sub, QStringLiteral("0")) << false;
    QTest::newRow("sub negative") << with(sub, QStringLiteral("-42")) << false;
    QTest::newRow("sub leading zero") << with(sub, QStringLiteral("042")) << false;
    QTest::newRow("sub with space") << with(sub, QStringLiteral(" 42")) << false;
    QTest::newRow("sub plus") << with(sub, QStringLiteral("+42")) << false;
    QTest::newRow("sub not a number") << with(sub, QStringLiteral("alice")) << false;
    QTest::newRow("sub empty") << with(sub, QString()) << false;
    QTest::newRow("sub overflows") << with(sub, QStringLiteral("99999999999999999999")) << false;
    QTest::newRow("no jti") << without(jti) << false;
    QTest::newRow("jti empty") << with(jti, QString()) << false;
    QTest::newRow("jti number") << with(jti, 5) << false;
}

void TstAuth::claimsAreValidated()
{
    QFETCH(QJsonObject, claims);
    QFETCH(bool, accepted);
    const QString token = signWithLibjwt(JWT_ALG_HS256, Secret, compactJson(claims));
    QVERIFY(!token.isEmpty());
    QCOMPARE(TokenService(Secret).verify(token, fixedNow()).has_value(), accepted);
}

void TstAuth::garbageRejected_data()
{
    QTest::addColumn<QString>("token");
    const QString good
        = TokenService(Secret).issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow());
    QTest::newRow("empty") << QString();
    QTest::newRow("word") << QStringLiteral("garbage");
    QTest::newRow("dots") << QStringLiteral("..");
    QTest::newRow("three dots") << QStringLiteral("...");
    QTest::newRow("abc") << QStringLiteral("a.b.c");
    QTest::newRow("bearer prefix") << QString(QStringLiteral("Bearer ") + good);
    QTest::newRow("trailing space") << QString(good + QLatin1Char(' '));
    QTest::newRow("trailing newline") << QString(good + QLatin1Char('\n'));
    QTest::newRow("extra part") << QString(good + QStringLiteral(".e30"));
    QTest::newRow("nul then junk") << QString(good + QChar(0) + QStringLiteral("junk"));
    QTest::newRow("non-ascii") << QString(good + QStringLiteral("\u00e9"));
    QTest::newRow("padded base64") << QString(good + QStringLiteral("=="));
    QTest::newRow("json") << QStringLiteral(R"({"alg":"HS256"})");
    QTest::newRow("huge") << QString(100000, QLatin1Char('a'));
    QTest::newRow("header not json") << QString::fromLatin1(
        base64Url("not json") + '.' + tokenParts(good).at(1) + '.' + tokenParts(good).at(2));
}

void TstAuth::garbageRejected()
{
    QFETCH(QString, token);
    QVERIFY(!TokenService(Secret).verify(token, fixedNow()));
}

void TstAuth::emptySecretIssuesAndAcceptsNothing()
{
    const TokenService keyless {QByteArray()};
    QVERIFY(keyless.issue(42, QStringLiteral("alice"), QStringLiteral("s"), fixedNow()).isEmpty());
    // libjwt skips the signature check without a key; the service must not.
    const QString token = signWithLibjwt(JWT_ALG_HS256, Secret, compactJson(validClaims()));
    QVERIFY(!keyless.verify(token, fixedNow()));
}

void TstAuth::issueRefusesUnusableClaims()
{
    const TokenService service(Secret);
    QVERIFY(service.issue(0, QStringLiteral("a"), QStringLiteral("s"), fixedNow()).isEmpty());
    QVERIFY(service.issue(-1, QStringLiteral("a"), QStringLiteral("s"), fixedNow()).isEmpty());
    QVERIFY(service.issue(1, QStringLiteral("a"), QString(), fixedNow()).isEmpty());
    QVERIFY(service.issue(1, QStringLiteral("a"), QStringLiteral("s"), QDateTime()).isEmpty());
    QVERIFY(TokenService(Secret, 0s)
                .issue(1, QStringLiteral("a"), QStringLiteral("s"), fixedNow())
                .isEmpty());
}

// ---- loadOrCreateSecret -------------------------------------------------------

void TstAuth::secretFileIsCreatedOwnerOnly()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString dataDir = temp.filePath(QStringLiteral("nested/data")); // does not exist yet
    QString error;
    const QByteArray secret = loadOrCreateSecret(dataDir, &error);
    QVERIFY2(!secret.isEmpty(), qPrintable(error));
    QCOMPARE(secret.size(), 32);

    const QString path = dataDir + QStringLiteral("/jwt-secret");
    QCOMPARE(fileMode(path), 0600);
    QCOMPARE(QFile::permissions(path) & OwnerGroupOtherBits, OwnerReadWrite);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), secret); // raw bytes, verbatim

    // Random, not a constant or a counter: 32 random bytes repeat a value
    // often, but fewer than 16 distinct ones has odds far below 1e-12.
    const QSet<char> distinct(secret.cbegin(), secret.cend());
    QVERIFY2(distinct.size() >= 16, secret.toHex().constData());
    QVERIFY(secret != QByteArray(32, '\0'));

    // No leftover temporary files next to it.
    QCOMPARE(QDir(dataDir).entryList(QDir::Files | QDir::Hidden),
        QStringList {QStringLiteral("jwt-secret")});
}

void TstAuth::secretFileModeIgnoresUmask()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const mode_t original = ::umask(0); // the most permissive umask
    const QByteArray secret = loadOrCreateSecret(temp.path());
    const mode_t after = ::umask(original);
    QVERIFY(!secret.isEmpty());
    QCOMPARE(fileMode(temp.filePath(QStringLiteral("jwt-secret"))), 0600);
    QCOMPARE(int(after), 0); // the caller's umask was restored
}

void TstAuth::secretIsStableAcrossCalls()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QByteArray first = loadOrCreateSecret(temp.path());
    QString error;
    const QByteArray second = loadOrCreateSecret(temp.path(), &error);
    QVERIFY(!first.isEmpty());
    QCOMPARE(second, first);
    QVERIFY(error.isEmpty());

    // And it works as a signing key end to end.
    const QString token
        = TokenService(first).issue(5, QStringLiteral("bob"), QStringLiteral("s"), fixedNow());
    QVERIFY(TokenService(second).verify(token, fixedNow()));
}

void TstAuth::secretsDifferBetweenDataDirs()
{
    QTemporaryDir a;
    QTemporaryDir b;
    QVERIFY(a.isValid() && b.isValid());
    QVERIFY(loadOrCreateSecret(a.path()) != loadOrCreateSecret(b.path()));
}

void TstAuth::loosePermissionsAreTightened()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString path = temp.filePath(QStringLiteral("jwt-secret"));
    const QByteArray existing(40, 'k');
    QVERIFY(writeFile(path, existing, 0644));
    QCOMPARE(fileMode(path), 0644);

    QString error;
    QCOMPARE(loadOrCreateSecret(temp.path(), &error), existing);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(fileMode(path), 0600);

    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0666) == 0);
    QCOMPARE(loadOrCreateSecret(temp.path()), existing);
    QCOMPARE(fileMode(path), 0600);
}

void TstAuth::tooShortSecretRefused_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("31 bytes") << QByteArray(31, 'k');
    QTest::newRow("short text") << QByteArrayLiteral("changeme\n");
}

void TstAuth::tooShortSecretRefused()
{
    QFETCH(QByteArray, contents);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString path = temp.filePath(QStringLiteral("jwt-secret"));
    QVERIFY(writeFile(path, contents, 0600));

    QString error;
    QVERIFY(loadOrCreateSecret(temp.path(), &error).isEmpty());
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(path), qPrintable(error));
    // Refused, not replaced: the operator's file is left alone.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), contents);
}

void TstAuth::longerOperatorSecretAccepted()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    // e.g. `openssl rand -hex 32 > jwt-secret`: 65 bytes, used verbatim.
    const QByteArray hexLine = QByteArray(64, 'a') + '\n';
    QVERIFY(writeFile(temp.filePath(QStringLiteral("jwt-secret")), hexLine, 0600));
    QCOMPARE(loadOrCreateSecret(temp.path()), hexLine);
}


void TstAuth::workersAnswerOnTheCallersThread()
{
    PasswordWorkers workers(m_fast, 2);
    QObject context;
    QByteArray made;
    QThread *ranOn = nullptr;
    workers.hash(u"correct horse"_s, &context, [&](const QByteArray &hash) {
        made = hash;
        ranOn = QThread::currentThread();
    });
    QVERIFY(made.isEmpty()); // not inline: the caller's thread goes on at once
    QTRY_VERIFY(!made.isEmpty());
    QCOMPARE(ranOn, QThread::currentThread());
    QVERIFY(m_fast.verify(u"correct horse"_s, made));

    std::optional<bool> right, wrong;
    workers.verify(u"correct horse"_s, made, &context, [&](bool ok) { right = ok; });
    workers.verify(u"wrong horse"_s, made, &context, [&](bool ok) { wrong = ok; });
    QTRY_VERIFY(right && wrong);
    QCOMPARE(*right, true);
    QCOMPARE(*wrong, false);
}

void TstAuth::workersAreBounded()
{
    QCOMPARE(PasswordWorkers(m_fast, 3).threads(), 3);
    const int defaultThreads = PasswordWorkers(m_fast).threads();
    QVERIFY(defaultThreads >= 1 && defaultThreads <= 4);
    QVERIFY(defaultThreads <= std::max(1, QThread::idealThreadCount()));

    // A burst queues on the pool: every answer comes, none is lost.
    PasswordWorkers workers(m_fast, 1);
    QObject context;
    int answered = 0;
    for (int i = 0; i < 12; ++i)
        workers.hash(u"password %1"_s.arg(i), &context, [&](const QByteArray &hash) { answered += !hash.isEmpty(); });
    QTRY_COMPARE(answered, 12);
}

void TstAuth::workersDropTheAnswerWhenTheContextIsGone()
{
    PasswordWorkers workers(PasswordHasher(PasswordHasher::Strength::Interactive), 1);
    bool called = false;
    auto context = std::make_unique<QObject>();
    workers.hash(u"a client that left"_s, context.get(), [&](const QByteArray &) { called = true; });
    context.reset(); // the socket went away while the hash was made
    // Another answer after it proves the first one's turn has passed.
    QObject still;
    bool later = false;
    workers.hash(u"someone else"_s, &still, [&](const QByteArray &) { later = true; });
    QTRY_VERIFY_WITH_TIMEOUT(later, 10000);
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(TstAuth)
#include "tst_auth.moc"

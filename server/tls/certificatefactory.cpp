#include "certificatefactory.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace natter::tls {
namespace {

template <auto Free>
struct Deleter
{
    template <typename T>
    void operator()(T *pointer) const { Free(pointer); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

QString openSslError(const QString &what)
{
    const unsigned long code = ERR_get_error();
    char text[256] = {};
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return code != 0 ? what + u": "_s + QString::fromLatin1(text) : what;
}

Bio memoryBio(const QByteArray &data)
{
    return Bio(BIO_new_mem_buf(data.constData(), static_cast<int>(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

Key readKey(const QByteArray &pem)
{
    Bio bio = memoryBio(pem);
    return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Certificate readCertificate(const QByteArray &pem)
{
    Bio bio = memoryBio(pem);
    return Certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

bool addExtension(X509 *certificate, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool setSerial(X509 *certificate)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; // positive
    BigNumber number(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate)) != nullptr;
}

QByteArray subjectAltNames(const CertificateSpec &spec)
{
    QStringList names;
    for (const QString &dns : spec.dnsNames)
        names.append(u"DNS:"_s + dns);
    for (const QString &ip : spec.ipAddresses)
        names.append(u"IP:"_s + ip);
    return names.join(u',').toUtf8();
}

} // namespace

std::optional<KeyAndCertificate> issueCertificate(const CertificateSpec &spec, const KeyAndCertificate *issuer,
                                                  QString *error)
{
    Key key(EVP_EC_gen("P-256"));
    if (!key) {
        *error = openSslError(u"cannot generate a key"_s);
        return std::nullopt;
    }
    Key issuerKey;
    Certificate issuerCertificate;
    if (issuer) {
        issuerKey = readKey(issuer->keyPem);
        issuerCertificate = readCertificate(issuer->certificatePem);
        if (!issuerKey || !issuerCertificate) {
            *error = openSslError(u"cannot read the issuer's key or certificate"_s);
            return std::nullopt;
        }
    }

    Certificate certificate(X509_new());
    X509 *x = certificate.get();
    const QByteArray commonName = spec.commonName.toUtf8();
    X509_NAME *subject = X509_get_subject_name(x);
    bool ok = X509_set_version(x, 2) == 1 && setSerial(x)
        && ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(spec.notBefore.toSecsSinceEpoch())) != nullptr
        && ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(spec.notAfter.toSecsSinceEpoch())) != nullptr
        && X509_set_pubkey(x, key.get()) == 1
        && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(commonName.constData()),
                                      static_cast<int>(commonName.size()), -1, 0) == 1;
    X509 *signer = issuer ? issuerCertificate.get() : x;
    ok = ok && X509_set_issuer_name(x, X509_get_subject_name(signer)) == 1;
    if (spec.certificateAuthority) {
        ok = ok && addExtension(x, signer, NID_basic_constraints, "critical,CA:TRUE")
            && addExtension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ok = ok && addExtension(x, signer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(x, signer, NID_key_usage, "critical,digitalSignature,keyAgreement")
            && addExtension(x, signer, NID_ext_key_usage, "serverAuth");
    }
    ok = ok && addExtension(x, signer, NID_subject_key_identifier, "hash");
    if (issuer)
        ok = ok && addExtension(x, signer, NID_authority_key_identifier, "keyid:always");
    const QByteArray altNames = subjectAltNames(spec);
    if (!altNames.isEmpty())
        ok = ok && addExtension(x, signer, NID_subject_alt_name, altNames);
    ok = ok && X509_sign(x, issuer ? issuerKey.get() : key.get(), EVP_sha256()) > 0;
    if (!ok) {
        *error = openSslError(u"cannot make the certificate"_s);
        return std::nullopt;
    }

    Bio keyOut(BIO_new(BIO_s_mem()));
    Bio certificateOut(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1
        || PEM_write_bio_X509(certificateOut.get(), x) != 1) {
        *error = openSslError(u"cannot write PEM"_s);
        return std::nullopt;
    }
    return KeyAndCertificate{bioContents(keyOut.get()), bioContents(certificateOut.get())};
}

bool keyMatchesCertificate(const QByteArray &keyPem, const QByteArray &certificatePem)
{
    const Key key = readKey(keyPem);
    const Certificate certificate = readCertificate(certificatePem);
    const bool matches = key && certificate && X509_check_private_key(certificate.get(), key.get()) == 1;
    ERR_clear_error();
    return matches;
}

} // namespace natter::tls

// JWT verification (TokenService::verify, libjwt underneath) on any input;
// what it accepts must carry the claims its contract promises.

#include "tokenservice.h"

#include <QDateTime>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const natter::server::TokenService tokens(QByteArray(32, 'k'));
    static const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto claims = tokens.verify(input, now);
    if (claims) {
        // Accepted: then the claims the contract promises hold.
        if (claims->userId <= 0 || claims->sessionId.isEmpty() || claims->expiresAt <= now
            || !claims->issuedAt.isValid())
            std::abort();
    }
    return 0;
}

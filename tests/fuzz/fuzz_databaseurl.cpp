// The database URL parser (--database): any text, and for what it accepts,
// the display form does not depend on the password.

#include "databaseurl.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using natter::server::DatabaseUrl;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto url = DatabaseUrl::parse(text, &error);
    if (!url) {
        if (error.isEmpty())
            std::abort(); // a refusal always says why
        return 0;
    }
    // What is logged must not depend on the password.
    DatabaseUrl other = *url;
    other.password = url->password + u"x"_s;
    if (other.toDisplayString() != url->toDisplayString())
        std::abort(); // the password leaked into what is logged
    return 0;
}

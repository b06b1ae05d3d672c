// One dialect's inbound frames through its real session code: an
// authenticated session as alice on an in-memory socket (FuzzServer), fed the
// input cut into frames at NUL bytes. Built once per dialect, with
// NATTER_FUZZ_DIALECT naming it (fuzz_rooms, fuzz_cable, ...).
//
// rooms is opened on alice's group room; gateway gets alice's IDENTIFY first
// and natter her hello, so the input's frames reach a signed-in session.

#include "fuzzserver.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    natter::fuzz::FuzzServer &server = natter::fuzz::FuzzServer::instance();
    const QString dialect = QString::fromLatin1(NATTER_FUZZ_DIALECT);
    QList<QString> frames = natter::fuzz::framesOf(data, size);
    QString path;
    if (dialect == u"rooms")
        path = u"/ws/chat/%1/"_s.arg(server.groupId());
    if (dialect == u"gateway") {
        frames.prepend(uR"({"o":2,"d":{"token":"%1","properties":{"os":"fuzz"}}})"_s
                           .arg(server.aliceToken()));
    }
    if (dialect == u"natter")
        frames.prepend(uR"({"type":"hello","version":1,"rooms":{"1":0},"limit":5})"_s);
    server.runSession(dialect, frames, path);
    // Inputs create rooms and messages; a fresh server now and then keeps
    // every input about as fast as the first.
    static int runs = 0;
    if (++runs % 256 == 0)
        server.reset();
    return 0;
}

#pragma once

// The stamp catalogue of the `cable` dialect (spec 000): the pre-defined
// stickers a `send_stamp` may name, served by GET /api/stamp_messages.
// This table is the one place stamps are defined; a stamp message stores its
// stamp id (as decimal text) in NewMessage::body.

#include <QByteArray>
#include <QtGlobal>

namespace natter::server::cable {

struct Stamp
{
    int id;
    const char *name;  // ASCII slug
    const char *emoji; // UTF-8
};

// nullptr for an id not in the catalogue.
const Stamp *findStamp(qint64 id);

// The catalogue as GET /api/stamp_messages answers it: a compact JSON array
// of {"id", "name", "emoji"}, built once.
const QByteArray &catalogueJson();
// A strong entity tag of that body (quoted, as the ETag header carries it).
const QByteArray &catalogueEtag();

} // namespace natter::server::cable

#pragma once

#include "records.h"

namespace natter::server {

// The text of a message for dialects that carry only text: the body of a
// text message, "[stamp:ID]" for a stamp, "[location:LAT,LNG]" for a location.
QString messageText(const MessageRecord &message);

} // namespace natter::server

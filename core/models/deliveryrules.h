#pragma once

// The one rule for moving a message's delivery status, shared by the models
// and the local cache so both agree on what an out-of-order event means.

#include "domain.h"

namespace natter::client {

// The status a message has after `next` is reported while it is `current`:
//  - Sent → Delivered → Read only move forward; a lower one is ignored
//    (receipts arrive out of order, a history page may be older than a receipt).
//  - Failed only applies to a message still Sending: once the server has
//    stored a message (Sent or later), it cannot fail any more.
//  - Sending only applies to a Failed message: that is a retry.
//  - Sent/Delivered/Read override Sending and Failed: a late acknowledgement
//    or receipt proves the server has the message.
constexpr DeliveryStatus advancedStatus(DeliveryStatus current, DeliveryStatus next)
{
    if (current == next)
        return current;
    switch (next) {
    case DeliveryStatus::Sending:
        return current == DeliveryStatus::Failed ? DeliveryStatus::Sending : current;
    case DeliveryStatus::Failed:
        return current == DeliveryStatus::Sending ? DeliveryStatus::Failed : current;
    case DeliveryStatus::Sent:
    case DeliveryStatus::Delivered:
    case DeliveryStatus::Read:
        if (current == DeliveryStatus::Sending || current == DeliveryStatus::Failed)
            return next;
        return static_cast<int>(next) > static_cast<int>(current) ? next : current;
    }
    return current;
}

// The display name of a person: display name, else username, else id.
inline QString displayNameOf(const QString &displayName, const QString &username, const QString &id)
{
    if (!displayName.isEmpty())
        return displayName;
    return username.isEmpty() ? id : username;
}

} // namespace natter::client

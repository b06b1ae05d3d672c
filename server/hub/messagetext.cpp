#include "messagetext.h"

namespace natter::server {

QString messageText(const MessageRecord &message)
{
    switch (message.kind) {
    case MessageKind::Text:
        return message.body;
    case MessageKind::Stamp:
        return QStringLiteral("[stamp:%1]").arg(message.body);
    case MessageKind::Location:
        return QStringLiteral("[location:%1,%2]")
            .arg(message.latitude, 0, 'f', 6)
            .arg(message.longitude, 0, 'f', 6);
    }
    return message.body;
}

} // namespace natter::server

#pragma once

// The client core's QObject types, made known to QML as uncreatable types so
// properties and invokables that return them are typed (core itself never
// links QtQml).

#include "chatsession.h"
#include "discoveredservermodel.h"
#include "messagemodel.h"
#include "messagerequestmodel.h"
#include "notificationmodel.h"
#include "peoplemodel.h"
#include "presencetracker.h"
#include "roomfiltermodel.h"
#include "roomlistmodel.h"
#include "typingcache.h"

#include <QtQml/qqml.h>

namespace natter::desktop::foreign {

struct ChatSessionForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::ChatSession)
    QML_NAMED_ELEMENT(ChatSession)
    QML_UNCREATABLE("Owned by the chat session")
};

struct MessageModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::MessageModel)
    QML_NAMED_ELEMENT(MessageModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct RoomListModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::RoomListModel)
    QML_NAMED_ELEMENT(RoomListModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct RoomFilterModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::RoomFilterModel)
    QML_NAMED_ELEMENT(RoomFilterModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct TypingCacheForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::TypingCache)
    QML_NAMED_ELEMENT(TypingCache)
    QML_UNCREATABLE("Owned by the chat session")
};

struct PresenceTrackerForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::PresenceTracker)
    QML_NAMED_ELEMENT(PresenceTracker)
    QML_UNCREATABLE("Owned by the chat session")
};

struct NotificationModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::NotificationModel)
    QML_NAMED_ELEMENT(NotificationModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct MessageRequestModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::MessageRequestModel)
    QML_NAMED_ELEMENT(MessageRequestModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct PeopleModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::client::PeopleModel)
    QML_NAMED_ELEMENT(PeopleModel)
    QML_UNCREATABLE("Owned by the chat session")
};

struct DiscoveredServerModelForeign
{
    Q_GADGET
    QML_FOREIGN(natter::discovery::DiscoveredServerModel)
    QML_NAMED_ELEMENT(DiscoveredServerModel)
    QML_UNCREATABLE("App.lanServers")
};

} // namespace natter::desktop::foreign

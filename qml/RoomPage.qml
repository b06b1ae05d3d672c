import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Controls.impl
import Natter.Ui

// The open room: header, messages (newest at the bottom), typing, composer.
Rectangle {
    id: page
    property Account account
    property string roomKey
    readonly property var messages: account && roomKey.length > 0 ? account.openRoom(roomKey) : null
    property var room: ({})
    property var typingNames: []
    property int newWhileAway: 0
    // Bumped when presence changes so the subtitle re-evaluates.
    property int presenceTick: 0
    signal inviteRequested(string roomKey, string roomName)

    color: Theme.window

    function forceComposerFocus() { composer.focusInput() }
    function refreshRoom() {
        room = account && roomKey.length > 0 ? account.roomInfo(roomKey) : ({})
        typingNames = account && roomKey.length > 0 ? account.session.typing.typingNames(roomKey) : []
    }
    function subtitle() {
        presenceTick
        if (typingNames.length === 1)
            return qsTr("%1 is typing…").arg(typingNames[0])
        if (typingNames.length > 1)
            return qsTr("%1 and %2 are typing…").arg(typingNames[0]).arg(typingNames[1])
        if (!room.isDirect)
            return room.kind === "group" ? qsTr("Group") : ""
        if (account.session.presence.isOnline(room.otherPersonId))
            return qsTr("online")
        const seen = account.session.presence.lastSeen(room.otherPersonId)
        if (seen && !isNaN(seen.getTime()))
            return qsTr("last seen %1").arg(seen.toLocaleString(Qt.locale(), Locale.ShortFormat))
        return account.session.hasPresence ? qsTr("offline") : ""
    }

    onRoomKeyChanged: { refreshRoom(); newWhileAway = 0 }
    onAccountChanged: refreshRoom()

    Connections {
        target: page.account ? page.account.session.typing : null
        function onTypingChanged(key) {
            if (key === page.roomKey)
                page.typingNames = page.account.session.typing.typingNames(key)
        }
    }
    Connections {
        target: page.account ? page.account.session.presence : null
        function onPresenceChanged() { page.presenceTick++ }
    }
    Connections {
        target: page.account ? page.account.session.rooms : null
        function onDataChanged() { page.refreshRoom() }
        function onRowsInserted() { page.refreshRoom() }
    }

    // Nothing open yet.
    ColumnLayout {
        anchors.centerIn: parent
        visible: page.roomKey.length === 0
        spacing: 8
        IconImage {
            Layout.alignment: Qt.AlignHCenter
            source: Theme.icon("people")
            sourceSize: Qt.size(56, 56)
            color: Theme.mutedText
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Select a chat to start messaging")
            color: Theme.mutedText
            font.pixelSize: 15
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Ctrl+K switches rooms · Ctrl+N starts a new chat")
            color: Theme.mutedText
            font.pixelSize: 12
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        visible: page.roomKey.length > 0

        // Header
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.headerHeight
            color: Theme.window
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 16
                anchors.rightMargin: 16
                spacing: 12
                AvatarBadge {
                    size: 36
                    name: page.room.name || ""
                    showPresence: page.room.isDirect === true
                    online: { page.presenceTick; return page.room.isDirect === true && page.account.session.presence.isOnline(page.room.otherPersonId) }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: page.room.name || ""
                        elide: Text.ElideRight
                        font.pixelSize: 16
                        font.weight: Font.DemiBold
                        color: Theme.text
                        Accessible.role: Accessible.Heading
                    }
                    Label {
                        Layout.fillWidth: true
                        text: page.subtitle()
                        elide: Text.ElideRight
                        font.pixelSize: 12
                        color: page.typingNames.length > 0 ? Theme.accent : Theme.mutedText
                    }
                }
                RailToolButton {
                    visible: page.room.isDirect === false && page.account !== null && page.account.session.hasGroups
                    iconName: "people"
                    toolTip: qsTr("Invite people")
                    onClicked: page.inviteRequested(page.roomKey, page.room.name || "")
                }
                Rectangle {
                    implicitWidth: dialectLabel.implicitWidth + 14
                    implicitHeight: 22
                    radius: 11
                    color: Theme.surface
                    Label {
                        id: dialectLabel
                        anchors.centerIn: parent
                        text: page.account ? page.account.dialect : ""
                        font.pixelSize: 11
                        color: Theme.mutedText
                    }
                    Accessible.name: qsTr("Dialect %1").arg(dialectLabel.text)
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
        }

        // A message request (gateway): the first message of someone new waits for an answer.
        Rectangle {
            id: requestBanner
            objectName: "messageRequestBanner"
            readonly property var requests: page.account ? page.account.session.messageRequests : null
            readonly property bool pending: requests !== null && requests.count >= 0 && requests.indexOf(page.roomKey) >= 0
            property string error
            Layout.fillWidth: true
            Connections {
                target: page.account ? page.account.session : null
                enabled: requestBanner.pending
                // e.g. spec 004: "Only users with the TUTOR role can approve messages"
                function onActionFailed(message) { requestBanner.error = message }
            }
            visible: pending
            implicitHeight: visible ? requestRow.implicitHeight + 16 : 0
            color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.10)
            RowLayout {
                id: requestRow
                anchors.fill: parent
                anchors.leftMargin: 16
                anchors.rightMargin: 16
                spacing: 8
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.text
                    text: requestBanner.error.length > 0
                          ? qsTr("%1 wants to message you. The server refused the answer: %2").arg(page.room.name || "").arg(requestBanner.error)
                          : qsTr("%1 wants to message you. Approve to answer, or block them.").arg(page.room.name || "")
                }
                Button {
                    objectName: "approveRequestButton"
                    text: qsTr("Approve")
                    highlighted: true
                    onClicked: { requestBanner.error = ""; page.account.session.answerMessageRequest(page.roomKey, true) }
                }
                Button {
                    objectName: "blockRequestButton"
                    text: qsTr("Block")
                    flat: true
                    onClicked: { requestBanner.error = ""; page.account.session.answerMessageRequest(page.roomKey, false) }
                }
            }
        }

        // Our own first message waits for the other side's approval (gateway).
        Rectangle {
            id: waitingBanner
            objectName: "awaitingApprovalBanner"
            property int tick: 0
            Connections {
                target: page.account ? page.account.session : null
                function onApprovalStateChanged() { waitingBanner.tick++ }
            }
            Layout.fillWidth: true
            visible: { tick; return page.account !== null && page.roomKey.length > 0 && page.account.session.isAwaitingApproval(page.roomKey) }
            implicitHeight: visible ? waitingLabel.implicitHeight + 16 : 0
            color: Theme.surface
            Label {
                id: waitingLabel
                anchors.fill: parent
                anchors.margins: 8
                anchors.leftMargin: 16
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: qsTr("Waiting for approval: %1 sees your message as a request and has not answered it yet.").arg(page.room.name || "")
            }
        }

        // Messages, newest at the bottom (row 0).
        ListView {
            id: list
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: page.messages
            verticalLayoutDirection: ListView.BottomToTop
            spacing: 0
            reuseItems: true
            cacheBuffer: 600
            boundsBehavior: Flickable.StopAtBounds
            activeFocusOnTab: true
            Accessible.name: qsTr("Messages")
            ScrollBar.vertical: ScrollBar { }

            delegate: MessageDelegate {
                width: ListView.view.width
                account: page.account
                isGroup: page.room.isDirect !== true
                onRetryRequested: (clientId) => page.account.session.retry(clientId)
            }

            // The typing bubble sits below the newest message.
            header: TypingIndicator {
                width: list.width
                names: page.typingNames
            }
            footer: Item {
                width: list.width
                height: page.messages && page.messages.loading ? 40 : 8
                BusyIndicator {
                    anchors.centerIn: parent
                    running: page.messages !== null && page.messages.loading
                    visible: running
                    implicitWidth: 28; implicitHeight: 28
                }
            }

            // Older history as the user reaches the top.
            onAtYBeginningChanged: if (atYBeginning && page.account) page.account.loadOlder(page.roomKey)
            onCountChanged: {
                if (!atYEnd && count > 0)
                    page.newWhileAway++
            }
            onAtYEndChanged: if (atYEnd) page.newWhileAway = 0

            Label {
                anchors.centerIn: parent
                visible: list.count === 0 && page.messages !== null && !page.messages.loading
                text: qsTr("No messages yet — say hello!")
                color: Theme.mutedText
            }

            RoundButton {
                id: jumpButton
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: 16
                visible: !list.atYEnd && list.count > 0
                icon.source: Theme.icon("arrow-down")
                icon.color: Theme.text
                Accessible.name: qsTr("Jump to the newest message")
                onClicked: { list.positionViewAtBeginning(); page.newWhileAway = 0 }
                Rectangle {
                    visible: page.newWhileAway > 0
                    anchors.right: parent.right
                    anchors.top: parent.top
                    height: 18
                    width: Math.max(18, newCount.implicitWidth + 8)
                    radius: 9
                    color: Theme.accent
                    Text {
                        id: newCount
                        anchors.centerIn: parent
                        text: page.newWhileAway
                        color: "white"
                        font.pixelSize: 11
                    }
                }
            }
        }

        // A room nobody can be written to from here (the server does not say who wrote).
        Label {
            objectName: "cannotReplyNote"
            Layout.fillWidth: true
            Layout.margins: 12
            visible: !composer.visible
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            color: Theme.mutedText
            text: qsTr("This server does not say who sent these messages, so they cannot be answered here. To write to someone, open a conversation with them by their id (the pencil button).")
        }
        ComposerBar {
            id: composer
            visible: page.account === null || page.roomKey.length === 0 || page.account.session.canReplyIn(page.roomKey)
            Layout.fillWidth: true
            // Drafts are kept per account and room.
            roomKey: page.account && page.roomKey.length > 0 ? page.account.accountId + "/" + page.roomKey : ""
            stamps: page.account ? page.account.stamps : []
            stampsEnabled: page.account !== null && page.account.session.hasStamps
            locationsEnabled: page.account !== null && page.account.session.hasLocations
            loadDraft: (key) => App.settings.draft(key)
            onDraftChanged: (key, text) => App.settings.setDraft(key, text)
            // typing(false) on a room switch comes after roomKey changed: it is
            // for the room typed in, not the new one.
            property string typingRoom
            onTyping: (active) => {
                const room = active ? page.roomKey : composer.typingRoom
                composer.typingRoom = active ? page.roomKey : ""
                if (page.account && room.length > 0 && App.settings.sendTyping)
                    page.account.session.setTyping(room, active)
            }
            onSendText: (text) => { page.account.session.sendText(page.roomKey, text); list.positionViewAtBeginning() }
            onSendStamp: (stampId) => { page.account.session.sendStamp(page.roomKey, stampId); list.positionViewAtBeginning() }
            onSendLocation: (latitude, longitude) => { page.account.session.sendLocation(page.roomKey, latitude, longitude); list.positionViewAtBeginning() }
        }
    }
}

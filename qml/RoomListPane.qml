import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The sidebar: hosting status, search, new chat, and the rooms.
Rectangle {
    id: pane
    property Account account
    property string currentRoomKey
    signal roomActivated(string key)
    signal newChatRequested()
    signal notificationsRequested()

    color: Theme.sidebar

    function focusSearch() { search.forceActiveFocus(); search.selectAll() }
    function rowOfKey(key) {
        for (let row = 0; row < rooms.count; ++row) {
            if (rooms.itemAtIndex(row) && rooms.itemAtIndex(row).roomKey === key)
                return row
        }
        return -1
    }
    function keyAt(row) {
        const item = rooms.itemAtIndex(row)
        return item ? item.roomKey : ""
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        HostingBanner {
            Layout.fillWidth: true
            visible: pane.account !== null && pane.account.hosted
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            spacing: Theme.smallSpacing
            TextField {
                id: search
                Layout.fillWidth: true
                placeholderText: qsTr("Search")
                Accessible.name: qsTr("Search rooms and people")
                text: pane.account ? pane.account.roomFilter.filterText : ""
                onTextEdited: if (pane.account) pane.account.roomFilter.filterText = text
                Keys.onDownPressed: rooms.forceActiveFocus()
                Keys.onEscapePressed: { text = ""; if (pane.account) pane.account.roomFilter.filterText = "" }
            }
            RailToolButton {
                objectName: "notificationsButton"
                visible: pane.account !== null && (pane.account.session.hasNotifications || pane.account.session.hasMessageRequests)
                iconName: "bell"
                toolTip: qsTr("Notifications")
                onClicked: pane.notificationsRequested()
            }
            RailToolButton {
                objectName: "newChatButton"
                readonly property bool opensById: pane.account !== null && pane.account.session.canOpenByAddress
                                                  && !pane.account.session.canSearchPeople
                visible: pane.account !== null && (pane.account.session.canStartDirectChats || opensById)
                iconName: "edit"
                toolTip: opensById ? qsTr("Open a conversation by its id (Ctrl+N)") : qsTr("New chat (Ctrl+N)")
                onClicked: pane.newChatRequested()
            }
        }

        Label {
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            visible: pane.account !== null && pane.account.lastError.length > 0
            text: pane.account ? pane.account.lastError : ""
            color: Theme.danger
            wrapMode: Text.Wrap
            font.pixelSize: 12
        }

        ListView {
            id: rooms
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.account ? pane.account.roomFilter : null
            activeFocusOnTab: true
            keyNavigationEnabled: true
            Accessible.name: qsTr("Rooms")
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { }

            delegate: RoomDelegate {
                objectName: "room:" + roomKey
                width: ListView.view.width
                selected: roomKey === pane.currentRoomKey
                onClicked: pane.roomActivated(roomKey)
            }
            Keys.onReturnPressed: if (currentItem) pane.roomActivated(currentItem.roomKey)

            Label {
                anchors.centerIn: parent
                width: parent.width - 48
                visible: rooms.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: search.text.length > 0 ? qsTr("No room matches “%1”.").arg(search.text)
                    : pane.account && pane.account.session.canOpenByAddress && !pane.account.session.canSearchPeople
                      ? qsTr("No conversations yet. This server lists none: open one by its id with the pencil button, or wait for someone to write.")
                    : pane.account && !pane.account.session.canStartDirectChats
                      ? qsTr("No rooms yet. They appear here when this server lists them or someone writes.")
                      : qsTr("No chats yet — start one with the pencil button.")
            }
        }
    }
}

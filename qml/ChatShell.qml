import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The signed-in window: the server rail, the room list and the open room.
Item {
    id: shell
    signal addServerRequested()

    readonly property Account account: App.currentAccount
    property string roomKey

    function openRoom(key) {
        roomKey = key
        roomPage.forceComposerFocus()
    }
    function stepRoom(delta) {
        const next = roomList.rowOfKey(roomKey) + delta
        const key = roomList.keyAt(next)
        if (key.length > 0)
            openRoom(key)
    }

    onAccountChanged: roomKey = ""

    // App needs the open room to skip notifications for it, and opens a
    // notification's room through us.
    Binding {
        target: App
        property: "openRoomKey"
        value: shell.roomKey
    }
    Connections {
        target: App
        function onOpenRoomRequested(accountId, key) { shell.openRoom(key) }
    }
    Connections {
        target: shell.account ? shell.account.session : null
        function onRoomReplaced(oldKey, newKey) {
            if (shell.roomKey === oldKey)
                shell.openRoom(newKey)
        }
    }

    SecretsNotice {
        id: secretsNotice
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
    }

    RowLayout {
        anchors.top: secretsNotice.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        spacing: 0

        ServerRail {
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.railWidth
            onAddServerRequested: shell.addServerRequested()
            onSettingsRequested: settingsDialog.open()
        }

        SplitView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            orientation: Qt.Horizontal

            handle: Rectangle {
                implicitWidth: 1
                color: Theme.divider
            }

            RoomListPane {
                id: roomList
                SplitView.preferredWidth: App.settings.sidebarWidth
                SplitView.minimumWidth: 220
                SplitView.maximumWidth: 480
                account: shell.account
                currentRoomKey: shell.roomKey
                onRoomActivated: (key) => shell.openRoom(key)
                onNewChatRequested: { newChatDialog.inviteRoomKey = ""; newChatDialog.open() }
                onNotificationsRequested: notificationsPopup.open()
                onWidthChanged: if (width > 0) App.settings.sidebarWidth = Math.round(width)
            }

            RoomPage {
                id: roomPage
                SplitView.fillWidth: true
                account: shell.account
                roomKey: shell.roomKey
                onInviteRequested: (key, name) => {
                    newChatDialog.inviteRoomKey = key
                    newChatDialog.inviteRoomName = name
                    newChatDialog.open()
                }
            }
        }
    }

    SettingsDialog { id: settingsDialog }
    NewChatDialog {
        id: newChatDialog
        account: shell.account
        onRoomChosen: (key) => shell.openRoom(key)
    }
    NotificationsPopup {
        id: notificationsPopup
        account: shell.account
    }
    QuickSwitcherPopup {
        id: quickSwitcher
        account: shell.account
        onRoomChosen: (key) => shell.openRoom(key)
    }

    Shortcut { sequence: "Ctrl+K"; onActivated: quickSwitcher.open() }
    Shortcut { sequence: "Ctrl+N"; onActivated: { newChatDialog.inviteRoomKey = ""; newChatDialog.open() } }
    Shortcut { sequence: "Ctrl+F"; onActivated: roomList.focusSearch() }
    Shortcut { sequence: "Alt+Up"; onActivated: shell.stepRoom(-1) }
    Shortcut { sequence: "Alt+Down"; onActivated: shell.stepRoom(1) }
    Shortcut { sequence: StandardKey.Preferences; onActivated: settingsDialog.open() }
}

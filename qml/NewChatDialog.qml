import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Ctrl+N: find a person and start a direct chat, or name a group and pick
// members. With inviteRoomKey set: invite people to that group.
Dialog {
    id: dialog
    property Account account
    signal roomChosen(string key)

    property bool groupMode: false
    property string inviteRoomKey
    property string inviteRoomName
    readonly property bool inviteMode: inviteRoomKey.length > 0
    property string notice
    property var chosen: ({})
    property string error

    title: inviteMode ? qsTr("Invite to %1").arg(inviteRoomName) : groupMode ? qsTr("New group") : qsTr("New chat")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: 440
    height: 520
    onOpened: {
        error = ""
        notice = ""
        chosen = ({})
        query.text = ""
        groupName.text = ""
        query.forceActiveFocus()
        if (account)
            account.session.searchPeople("")
    }

    function chosenIds() { return Object.keys(chosen).filter(id => chosen[id]) }

    Connections {
        target: dialog.account ? dialog.account.session : null
        function onRoomCreated(roomKey) {
            if (!dialog.opened)
                return
            dialog.roomChosen(roomKey)
            dialog.close()
        }
        function onActionFailed(message) { dialog.error = message }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        TabBar {
            id: modeBar
            Layout.fillWidth: true
            visible: !dialog.inviteMode && dialog.account !== null && dialog.account.session.canCreateGroups
            currentIndex: dialog.groupMode ? 1 : 0
            TabButton { text: qsTr("Direct chat"); onClicked: dialog.groupMode = false }
            TabButton { text: qsTr("Group"); onClicked: dialog.groupMode = true }
        }
        TextField {
            id: groupName
            Layout.fillWidth: true
            visible: dialog.groupMode && !dialog.inviteMode
            placeholderText: qsTr("Group name")
            Accessible.name: qsTr("Group name")
        }
        TextField {
            id: query
            Layout.fillWidth: true
            placeholderText: qsTr("Search people")
            Accessible.name: qsTr("Search people")
            onTextChanged: if (dialog.account) dialog.account.session.searchPeople(text)
            Keys.onDownPressed: people.forceActiveFocus()
        }
        ListView {
            id: people
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.account ? dialog.account.session.people : null
            keyNavigationEnabled: true
            delegate: ItemDelegate {
                id: person
                objectName: "person:" + username
                required property string personId
                required property string username
                required property string displayName
                required property bool online
                width: ListView.view.width
                Accessible.name: displayName || username
                contentItem: RowLayout {
                    spacing: 12
                    AvatarBadge { size: 36; name: person.displayName || person.username; showPresence: true; online: person.online }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label { text: person.displayName || person.username; color: Theme.text; font.weight: Font.DemiBold }
                        Label { text: "@" + person.username; color: Theme.mutedText; font.pixelSize: 12 }
                    }
                    CheckBox {
                        visible: dialog.groupMode && !dialog.inviteMode
                        checked: dialog.chosen[person.personId] === true
                        onToggled: { const next = Object.assign({}, dialog.chosen); next[person.personId] = checked; dialog.chosen = next }
                        Accessible.name: qsTr("Add %1").arg(person.displayName || person.username)
                    }
                }
                onClicked: {
                    if (dialog.inviteMode) {
                        dialog.account.session.inviteToGroup(dialog.inviteRoomKey, personId)
                        dialog.notice = qsTr("Invited %1.").arg(displayName || username)
                    } else if (dialog.groupMode) {
                        const next = Object.assign({}, dialog.chosen)
                        next[personId] = !next[personId]
                        dialog.chosen = next
                    } else {
                        dialog.account.session.startDirectChat(personId)
                    }
                }
                Keys.onReturnPressed: clicked()
            }
            Label {
                anchors.centerIn: parent
                visible: people.count === 0
                text: qsTr("Nobody found.")
                color: Theme.mutedText
            }
        }
        Label {
            Layout.fillWidth: true
            visible: dialog.notice.length > 0 && dialog.error.length === 0
            text: dialog.notice
            color: Theme.online
        }
        Label {
            Layout.fillWidth: true
            visible: dialog.error.length > 0
            text: dialog.error
            color: Theme.danger
            wrapMode: Text.Wrap
        }
    }

    footer: DialogButtonBox {
        Button {
            visible: dialog.groupMode && !dialog.inviteMode
            text: qsTr("Create group")
            highlighted: true
            enabled: groupName.text.trim().length > 0
            onClicked: dialog.account.session.createGroup(groupName.text.trim(), dialog.chosenIds())
        }
        Button {
            text: dialog.inviteMode ? qsTr("Done") : qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}

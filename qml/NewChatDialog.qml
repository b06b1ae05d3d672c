import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Ctrl+N: find a person and start a direct chat, or name a group and pick
// members. With inviteRoomKey set: invite people to that group. On a server
// with no people directory that opens conversations by their id (chats'
// UUIDs, social's group and user numbers, cable rooms, gateway UUIDs): "Open
// by id", with the kinds the dialect has.
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
    readonly property bool canSearch: account !== null && account.session.canSearchPeople
    readonly property bool openMode: !inviteMode && !canSearch && account !== null && account.session.canOpenByAddress
    readonly property var kinds: account ? account.session.conversationKinds : []

    title: inviteMode ? qsTr("Invite to %1").arg(inviteRoomName) : groupMode ? qsTr("New group")
         : openMode ? qsTr("Open a conversation") : qsTr("New chat")
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
        address.text = ""
        if (openMode) {
            address.forceActiveFocus()
        } else {
            query.forceActiveFocus()
            if (canSearch)
                account.session.searchPeople("")
        }
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

        // No directory here: the conversation's id, as the server addresses it.
        ColumnLayout {
            Layout.fillWidth: true
            visible: dialog.openMode
            spacing: 8
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: qsTr("This server has no list of people or rooms. Open a conversation by its id — ask the person or the server's owner for it.")
            }
            ComboBox {
                id: kindBox
                objectName: "conversationKind"
                Layout.fillWidth: true
                visible: dialog.kinds.length > 1
                model: dialog.kinds
                textRole: "label"
                valueRole: "id"
                Accessible.name: qsTr("Open a")
            }
            TextField {
                id: address
                objectName: "conversationAddress"
                Layout.fillWidth: true
                readonly property var kind: dialog.kinds.length > 0 ? dialog.kinds[Math.max(0, kindBox.currentIndex)] : null
                placeholderText: kind ? kind.hint : ""
                Accessible.name: kind ? qsTr("%1 id").arg(kind.label) : qsTr("Id")
                onAccepted: openButton.clicked()
            }
            Button {
                id: openButton
                objectName: "openConversationButton"
                Layout.alignment: Qt.AlignRight
                highlighted: true
                text: qsTr("Open")
                enabled: address.text.trim().length > 0 && address.kind !== null
                onClicked: {
                    dialog.error = ""
                    dialog.account.session.openConversation(address.kind.id, address.text.trim())
                }
            }
            Item { Layout.fillHeight: true }
        }

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
            visible: !dialog.openMode
            placeholderText: qsTr("Search people")
            Accessible.name: qsTr("Search people")
            onTextChanged: if (dialog.canSearch) dialog.account.session.searchPeople(text)
            Keys.onDownPressed: people.forceActiveFocus()
        }
        ListView {
            id: people
            visible: !dialog.openMode
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

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The composer: auto-growing text (up to about six lines), Enter sends,
// Shift+Enter starts a new line, stamps and location buttons, a send button
// enabled only with text. Knows nothing of sessions: it emits what the user
// did, and asks `loadDraft` for a room's draft when the room changes.
Rectangle {
    id: composer
    property string roomKey
    property var stamps: []
    property bool stampsEnabled: false
    property bool locationsEnabled: false
    // function(roomKey) → the saved draft text
    property var loadDraft: function(key) { return "" }
    readonly property alias text: input.text
    readonly property bool canSend: input.text.trim().length > 0
    // How often "still typing" is repeated while the user types.
    property int typingRefreshMs: 3000

    signal sendText(string text)
    signal sendStamp(string stampId)
    signal sendLocation(real latitude, real longitude)
    signal typing(bool active)
    signal draftChanged(string roomKey, string text)

    property string _shownRoom
    property bool _typing: false
    property double _typingSentAt: 0
    property bool _loadingDraft: false
    property bool _completed: false

    function focusInput() { input.forceActiveFocus() }
    function send() {
        if (!canSend)
            return
        const text = input.text.trim()
        input.clear()
        stopTyping()
        draftChanged(roomKey, "")
        sendText(text)
    }
    function stopTyping() {
        if (_typing) {
            _typing = false
            typing(false)
        }
    }
    function noteEdit() {
        // A draft being loaded is not the user typing.
        if (_loadingDraft)
            return
        if (input.text.length === 0) {
            stopTyping()
            return
        }
        const now = Date.now()
        if (!_typing || now - _typingSentAt >= typingRefreshMs) {
            _typing = true
            _typingSentAt = now
            typing(true)
        }
    }
    function switchRoom() {
        if (roomKey === _shownRoom)
            return
        if (_shownRoom.length > 0)
            draftChanged(_shownRoom, input.text)
        stopTyping()
        _shownRoom = roomKey
        _loadingDraft = true
        input.text = roomKey.length > 0 ? (loadDraft(roomKey) || "") : ""
        _loadingDraft = false
        input.cursorPosition = input.length
    }

    // Bindings may set roomKey before loadDraft while the bar is being
    // created: the first room is loaded once everything is set.
    onRoomKeyChanged: if (_completed) switchRoom()
    Component.onCompleted: { _completed = true; switchRoom() }
    Component.onDestruction: if (_shownRoom.length > 0) draftChanged(_shownRoom, input.text)

    color: Theme.window
    implicitHeight: layout.implicitHeight + 16

    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.divider }

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 4

        RailToolButton {
            id: stampButton
            objectName: "stampButton"
            Layout.alignment: Qt.AlignBottom
            visible: composer.stampsEnabled
            iconName: "stamp"
            toolTip: qsTr("Send a stamp")
            onClicked: stampPicker.open()
            StampPicker {
                id: stampPicker
                y: -height - 8
                stamps: composer.stamps
                onPicked: (stampId) => composer.sendStamp(stampId)
            }
        }
        RailToolButton {
            objectName: "locationButton"
            Layout.alignment: Qt.AlignBottom
            visible: composer.locationsEnabled
            iconName: "location"
            toolTip: qsTr("Share a location")
            onClicked: locationDialog.open()
        }

        ScrollView {
            id: scroller
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            // One line up to about six, then it scrolls.
            Layout.preferredHeight: Math.min(input.implicitHeight, input.font.pixelSize * 1.45 * 6 + 16)
            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: qsTr("Write a message…")
                wrapMode: TextArea.Wrap
                textFormat: TextEdit.PlainText
                font.pixelSize: 14
                Accessible.name: qsTr("Message")
                background: Rectangle {
                    radius: 18
                    color: Theme.surface
                    border.width: input.activeFocus ? 1 : 0
                    border.color: Theme.accent
                }
                leftPadding: 14
                rightPadding: 14
                topPadding: 9
                bottomPadding: 9
                onTextChanged: composer.noteEdit()
                Keys.onPressed: (event) => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        composer.send()
                        event.accepted = true
                    }
                }
            }
        }

        RoundButton {
            id: sendButton
            objectName: "sendButton"
            Layout.alignment: Qt.AlignBottom
            enabled: composer.canSend
            highlighted: true
            icon.source: Theme.icon("send")
            icon.color: "white"
            Accessible.name: qsTr("Send")
            onClicked: composer.send()
        }
    }

    ShareLocationDialog {
        id: locationDialog
        onAccepted: composer.sendLocation(latitude, longitude)
    }
}

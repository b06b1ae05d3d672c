import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Ctrl+K: type a few letters of a room, Enter opens it.
Popup {
    id: popup
    property Account account
    signal roomChosen(string key)

    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    width: 480
    height: 420
    padding: 12
    onOpened: { query.text = ""; query.forceActiveFocus() }
    onClosed: if (account) account.roomFilter.filterText = ""

    background: Rectangle { radius: Theme.radius; color: Theme.window; border.color: Theme.divider }

    function choose(key) {
        popup.roomChosen(key)
        popup.close()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        TextField {
            id: query
            Layout.fillWidth: true
            placeholderText: qsTr("Jump to a room…")
            Accessible.name: qsTr("Room name")
            onTextChanged: if (popup.account) popup.account.roomFilter.filterText = text
            Keys.onDownPressed: results.incrementCurrentIndex()
            Keys.onUpPressed: results.decrementCurrentIndex()
            onAccepted: if (results.currentItem) popup.choose(results.currentItem.roomKey)
        }
        ListView {
            id: results
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: popup.account ? popup.account.roomFilter : null
            currentIndex: 0
            highlightMoveDuration: 0
            delegate: RoomDelegate {
                width: ListView.view.width
                selected: ListView.isCurrentItem
                onClicked: popup.choose(roomKey)
            }
        }
    }
}

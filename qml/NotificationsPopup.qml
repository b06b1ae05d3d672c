import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The notifications list: invitations can be accepted or declined here,
// message requests approved or blocked.
Popup {
    id: popup
    property Account account

    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    width: 480
    height: 520
    padding: 16
    background: Rectangle { radius: Theme.radius; color: Theme.window; border.color: Theme.divider }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label {
            text: qsTr("Notifications")
            font.pixelSize: 18
            font.weight: Font.DemiBold
            color: Theme.text
        }

        ListView {
            id: requests
            Layout.fillWidth: true
            Layout.preferredHeight: contentHeight
            visible: count > 0
            interactive: false
            model: popup.account ? popup.account.session.messageRequests : null
            delegate: Rectangle {
                required property string threadKey
                required property string fromName
                required property string text
                width: ListView.view.width
                height: requestColumn.implicitHeight + 16
                radius: 8
                color: Theme.surface
                ColumnLayout {
                    id: requestColumn
                    anchors.fill: parent
                    anchors.margins: 8
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: Theme.text
                        text: qsTr("%1 wants to message you: “%2”").arg(fromName).arg(text)
                    }
                    RowLayout {
                        Button { text: qsTr("Approve"); highlighted: true; onClicked: popup.account.session.answerMessageRequest(threadKey, true) }
                        Button { text: qsTr("Block"); flat: true; onClicked: popup.account.session.answerMessageRequest(threadKey, false) }
                    }
                }
            }
        }

        ListView {
            id: notifications
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: popup.account ? popup.account.session.notifications : null
            delegate: Rectangle {
                required property string type
                required property string message
                required property string roomKey
                required property bool read
                width: ListView.view.width
                height: noteColumn.implicitHeight + 16
                radius: 8
                color: read ? "transparent" : Theme.surface
                ColumnLayout {
                    id: noteColumn
                    anchors.fill: parent
                    anchors.margins: 8
                    Label {
                        objectName: "notification:" + message
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: Theme.text
                        text: message
                        font.weight: read ? Font.Normal : Font.DemiBold
                    }
                    RowLayout {
                        visible: type === "group_invite"
                        Button { text: qsTr("Accept"); highlighted: true; onClicked: popup.account.session.answerInvitation(roomKey, true) }
                        Button { text: qsTr("Decline"); flat: true; onClicked: popup.account.session.answerInvitation(roomKey, false) }
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: notifications.count === 0 && requests.count === 0
                text: qsTr("Nothing new.")
                color: Theme.mutedText
            }
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// The stamp catalogue in a grid; a click sends one.
Popup {
    id: picker
    property var stamps: []
    signal picked(string stampId)

    width: 320
    height: Math.min(300, grid.contentHeight + 56)
    padding: 8
    focus: true

    background: Rectangle {
        radius: Theme.radius
        color: Theme.window
        border.color: Theme.divider
    }

    ColumnLayout {
        anchors.fill: parent
        Label {
            text: qsTr("Stamps")
            font.weight: Font.DemiBold
            color: Theme.text
        }
        GridView {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            cellWidth: 72
            cellHeight: 72
            clip: true
            model: picker.stamps
            keyNavigationEnabled: true
            focus: true
            delegate: ItemDelegate {
                required property var modelData
                width: 68
                height: 68
                Accessible.name: modelData.name
                ToolTip.visible: hovered
                ToolTip.text: modelData.name
                contentItem: Text {
                    text: modelData.emoji || modelData.name
                    font.family: Theme.emojiFamily
                    font.pixelSize: modelData.emoji ? 40 : 12
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    wrapMode: Text.Wrap
                    color: Theme.text
                }
                onClicked: { picker.picked(modelData.stampId); picker.close() }
                Keys.onReturnPressed: clicked()
            }
            Label {
                anchors.centerIn: parent
                visible: grid.count === 0
                text: qsTr("This server has no stamps.")
                color: Theme.mutedText
            }
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Natter.Ui

// A large clickable choice on the welcome page.
AbstractButton {
    id: card
    property string iconName
    property string title
    property string description

    implicitHeight: 200
    padding: 16
    implicitWidth: 300
    activeFocusOnTab: true
    Accessible.name: title
    Accessible.description: description

    background: Rectangle {
        radius: Theme.radius
        color: card.hovered ? Theme.hover : Theme.window
        border.width: card.activeFocus ? 2 : 1
        border.color: card.activeFocus ? Theme.accent : Theme.divider
    }

    contentItem: ColumnLayout {
        spacing: 12
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            width: 56; height: 56; radius: 28
            color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
            IconImage {
                anchors.centerIn: parent
                source: Theme.icon(card.iconName)
                sourceSize: Qt.size(28, 28)
                color: Theme.accent
            }
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: card.title
            font.pixelSize: 17
            font.weight: Font.DemiBold
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: card.description
            color: Theme.mutedText
        }
    }
    Keys.onReturnPressed: clicked()
    Keys.onEnterPressed: clicked()
}

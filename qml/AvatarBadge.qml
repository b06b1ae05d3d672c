import QtQuick
import Natter.Ui

// Initials in a circle coloured from the name, with an optional presence dot.
Rectangle {
    id: avatar
    property string name
    // Shown instead of the name's initials when set.
    property string initials
    property bool showPresence: false
    property bool online: false
    property int size: 40

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    color: Theme.colorFor(name)
    Accessible.ignored: true

    Text {
        anchors.centerIn: parent
        text: avatar.initials.length > 0 ? avatar.initials : Theme.initials(avatar.name)
        color: "white"
        font.family: Theme.fontFamily
        font.pixelSize: avatar.size * 0.38
        font.weight: Font.DemiBold
    }

    Rectangle {
        visible: avatar.showPresence
        width: Math.max(10, avatar.size * 0.3)
        height: width
        radius: width / 2
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        color: avatar.online ? Theme.online : Theme.mutedText
        border.width: 2
        border.color: Theme.sidebar
    }
}

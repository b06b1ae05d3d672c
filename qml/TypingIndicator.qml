import QtQuick
import QtQuick.Controls
import Natter.Ui

// Three dots bouncing in a bubble while someone in the room types.
Item {
    id: indicator
    property var names: []
    readonly property bool active: names.length > 0
    // What a screen reader says: who is typing.
    readonly property string description: names.length === 0 ? ""
        : names.length === 1 ? qsTr("%1 is typing").arg(names[0])
        : names.length === 2 ? qsTr("%1 and %2 are typing").arg(names[0]).arg(names[1])
        : qsTr("%1, %2 and %n more are typing", "", names.length - 2).arg(names[0]).arg(names[1])

    implicitHeight: active ? 40 : 0
    height: implicitHeight
    visible: active
    Accessible.role: Accessible.StaticText
    Accessible.name: description

    Rectangle {
        x: 16
        anchors.verticalCenter: parent.verticalCenter
        width: 56
        height: 30
        radius: 15
        color: Theme.otherBubble

        Row {
            anchors.centerIn: parent
            spacing: 5
            Repeater {
                model: 3
                Rectangle {
                    id: dot
                    required property int index
                    width: 7; height: 7; radius: 3.5
                    color: Theme.mutedText
                    SequentialAnimation on y {
                        running: indicator.active
                        loops: Animation.Infinite
                        PauseAnimation { duration: dot.index * 150 }
                        NumberAnimation { from: 0; to: -4; duration: 250; easing.type: Easing.OutQuad }
                        NumberAnimation { from: -4; to: 0; duration: 250; easing.type: Easing.InQuad }
                        PauseAnimation { duration: (2 - dot.index) * 150 + 200 }
                    }
                }
            }
        }
    }
}

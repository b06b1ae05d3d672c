import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// First start: host a server here, or join one. Then one short form each.
Page {
    id: page
    property bool canCancel: false
    signal cancelled()

    background: Rectangle { color: Theme.sidebar }

    StackView {
        id: stack
        anchors.fill: parent
        initialItem: choice
    }

    Component {
        id: choice
        Item {
            ColumnLayout {
                anchors.centerIn: parent
                width: Math.min(parent.width - 64, 720)
                spacing: 24

                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: qsTr("Welcome to Natter")
                    font.pixelSize: 30
                    font.weight: Font.DemiBold
                    color: Theme.text
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: qsTr("Chat with the people on your network. Host a server on this computer for your team, or join one that is already running.")
                    color: Theme.mutedText
                    font.pixelSize: 15
                }
                RowLayout {
                    Layout.fillWidth: true
                    Layout.topMargin: 16
                    spacing: 16
                    ChoiceCard {
                        objectName: "hostChoice"
                        Layout.fillWidth: true
                        iconName: "server"
                        title: qsTr("Host a server on this computer")
                        description: qsTr("Others on your network join you here. Your chats stay on this machine.")
                        onClicked: stack.push(hostForm)
                        focus: true
                    }
                    ChoiceCard {
                        objectName: "joinChoice"
                        Layout.fillWidth: true
                        iconName: "join"
                        title: qsTr("Join a server")
                        description: qsTr("Pick a server found on your network, or type its address.")
                        onClicked: stack.push(joinForm)
                    }
                }
                Button {
                    Layout.alignment: Qt.AlignHCenter
                    visible: page.canCancel
                    flat: true
                    text: qsTr("Back to my chats")
                    onClicked: page.cancelled()
                }
            }
        }
    }

    Component {
        id: hostForm
        HostForm { onBack: stack.pop() }
    }
    Component {
        id: joinForm
        JoinForm { onBack: stack.pop() }
    }

    Keys.onEscapePressed: {
        if (stack.depth > 1)
            stack.pop()
        else if (canCancel)
            cancelled()
    }
}

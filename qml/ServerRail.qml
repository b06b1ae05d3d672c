import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Controls.impl
import Natter.Ui

// One round button per account (the hosted server first), + to join another.
Rectangle {
    id: rail
    color: Theme.rail
    signal addServerRequested()
    signal settingsRequested()

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: 12
        anchors.bottomMargin: 12
        spacing: 8

        ListView {
            id: accounts
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 8
            model: App.accounts
            interactive: contentHeight > height
            activeFocusOnTab: true
            keyNavigationEnabled: true
            Accessible.name: qsTr("Servers")

            delegate: AbstractButton {
                id: railButton
                required property var account
                required property string serverName
                required property string railName
                required property string label
                required property string serverAddress
                required property string dialect
                required property bool hosted
                required property string connectionState
                required property int unread
                readonly property bool current: App.currentAccount === account
                readonly property string connectionText: connectionState === "online" ? qsTr("online")
                    : connectionState === "connecting" ? qsTr("connecting…")
                    : connectionState === "reconnecting" ? qsTr("reconnecting…")
                    : qsTr("offline")

                width: ListView.view.width
                height: 48
                Accessible.name: hosted ? qsTr("Hosted server %1").arg(serverAddress)
                                        : qsTr("%1 on %2").arg(label).arg(serverAddress)
                objectName: "railServer:" + serverAddress + ":" + dialect
                onClicked: App.selectAccount(account.accountId)
                // Servers without a name of their own can be named here.
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: railMenu.popup()
                }
                Menu {
                    id: railMenu
                    MenuItem {
                        text: qsTr("Rename…")
                        enabled: railButton.serverName === railButton.serverAddress
                        onTriggered: renameDialog.openFor(railButton.account, railButton.railName)
                    }
                }

                ToolTip.visible: hovered
                ToolTip.delay: 400
                ToolTip.text: (hosted ? qsTr("%1 · hosted here on %2").arg(railName).arg(serverAddress)
                                      : qsTr("%1 · %2").arg(railName).arg(serverAddress))
                              + "\n" + qsTr("%1 as %2 · %3").arg(dialect).arg(label).arg(connectionText)

                Rectangle {
                    visible: railButton.current
                    width: 4; height: 32; radius: 2
                    anchors.left: parent.left
                    anchors.verticalCenter: parent.verticalCenter
                    color: Theme.accent
                }
                AvatarBadge {
                    anchors.centerIn: parent
                    size: 44
                    name: railButton.railName
                    initials: railButton.account.railInitials
                    radius: railButton.current ? 14 : 22
                    border.width: railButton.activeFocus ? 2 : 0
                    border.color: Theme.accent
                    Behavior on radius { NumberAnimation { duration: 120 } }

                    Rectangle {
                        width: 14; height: 14; radius: 7
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        anchors.margins: -2
                        border.width: 2
                        border.color: Theme.rail
                        color: railButton.connectionState === "online" ? Theme.online
                             : railButton.connectionState === "offline" ? Theme.danger : Theme.away
                    }
                    Rectangle {
                        visible: railButton.unread > 0
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.margins: -4
                        height: 18
                        width: Math.max(18, unreadText.implicitWidth + 8)
                        radius: 9
                        color: Theme.danger
                        Text {
                            id: unreadText
                            anchors.centerIn: parent
                            text: railButton.unread > 99 ? "99+" : railButton.unread
                            color: "white"
                            font.pixelSize: 11
                            font.weight: Font.DemiBold
                        }
                    }
                }
            }
        }

        Dialog {
            id: renameDialog
            property var account: null
            function openFor(account, name) {
                renameDialog.account = account
                renameField.text = name
                open()
                renameField.forceActiveFocus()
                renameField.selectAll()
            }
            parent: Overlay.overlay
            anchors.centerIn: parent
            modal: true
            title: qsTr("Name this server")
            standardButtons: Dialog.Ok | Dialog.Cancel
            TextField {
                id: renameField
                objectName: "railNameField"
                width: 280
                Accessible.name: qsTr("Server name")
                onAccepted: renameDialog.accept()
            }
            onAccepted: if (account) App.renameInRail(account.accountId, renameField.text)
        }

        RailToolButton {
            objectName: "addServerButton"
            Layout.alignment: Qt.AlignHCenter
            iconName: "plus"
            toolTip: qsTr("Join or host another server")
            onClicked: rail.addServerRequested()
        }
        RailToolButton {
            Layout.alignment: Qt.AlignHCenter
            iconName: "settings"
            toolTip: qsTr("Settings")
            onClicked: rail.settingsRequested()
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// "Hosting on 192.168.1.23:8000 · 3 connected", the certificate's fingerprint, copy address, stop / start again.
Rectangle {
    id: banner
    readonly property var hosting: App.hosting
    implicitHeight: content.implicitHeight + 16
    color: hosting.running ? Qt.rgba(Theme.online.r, Theme.online.g, Theme.online.b, 0.12) : Theme.surface

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 4
        spacing: 4

        Rectangle {
            width: 10; height: 10; radius: 5
            color: banner.hosting.running ? Theme.online : Theme.mutedText
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "hostingStatus"
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: 13
                font.weight: Font.DemiBold
                text: banner.hosting.running ? qsTr("Hosting on %1").arg(banner.hosting.address)
                    : banner.hosting.stopping ? qsTr("Stopping…") : qsTr("Not hosting")
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.mutedText
                font.pixelSize: 12
                text: banner.hosting.running ? qsTr("%n connected", "", banner.hosting.connectedCount)
                                             : qsTr("Your data is kept for next time")
            }
            // Joiners who type the address compare this with what their app shows.
            Label {
                objectName: "hostingFingerprint"
                Layout.fillWidth: true
                visible: banner.hosting.running && banner.hosting.fingerprint.length > 0
                elide: Text.ElideMiddle
                color: Theme.mutedText
                font.pixelSize: 11
                font.family: "monospace"
                text: qsTr("TLS certificate SHA-256 %1").arg(banner.hosting.fingerprint)
                ToolTip.visible: fingerprintHover.hovered
                ToolTip.text: banner.hosting.fingerprint
                HoverHandler { id: fingerprintHover }
            }
        }
        RailToolButton {
            visible: banner.hosting.running
            iconName: "copy"
            iconSize: 16
            implicitWidth: 36; implicitHeight: 36
            toolTip: qsTr("Copy the address")
            onClicked: App.copyToClipboard(banner.hosting.address)
        }
        RailToolButton {
            visible: banner.hosting.running
            objectName: "stopHostingButton"
            iconName: "stop"
            iconSize: 16
            implicitWidth: 36; implicitHeight: 36
            toolTip: qsTr("Stop hosting")
            onClicked: App.stopHosting()
        }
        Button {
            objectName: "startHostingButton"
            visible: !banner.hosting.running && !banner.hosting.stopping
            flat: true
            text: qsTr("Start")
            onClicked: App.resumeHosting()
        }
    }
}

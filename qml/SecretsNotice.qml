import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Says so when no keyring answered and sign-in tokens are kept in a file instead;
// the user may dismiss it for this run (Settings keeps saying it).
Rectangle {
    id: notice
    property bool dismissed: false
    visible: App.secretStorage === "file" && !dismissed
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: Qt.rgba(Theme.away.r, Theme.away.g, Theme.away.b, 0.15)

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 4
        spacing: 8
        Label {
            objectName: "secretsNotice"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: 12
            text: qsTr("No keyring is available, so your sign-ins are kept in %1, readable only by you.")
                      .arg(App.secretsFile)
        }
        RailToolButton {
            iconName: "close"
            iconSize: 16
            implicitWidth: 32; implicitHeight: 32
            toolTip: qsTr("Dismiss")
            onClicked: notice.dismissed = true
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Share a location by its coordinates.
Dialog {
    id: dialog
    property real latitude: Number(latitudeField.text)
    property real longitude: Number(longitudeField.text)
    readonly property bool valid: latitudeField.acceptableInput && longitudeField.acceptableInput

    title: qsTr("Share a location")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: 360
    onOpened: latitudeField.forceActiveFocus()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label { text: qsTr("Latitude"); color: Theme.text }
        TextField {
            id: latitudeField
            Layout.fillWidth: true
            placeholderText: "52.52000"
            Accessible.name: qsTr("Latitude")
            validator: DoubleValidator { bottom: -90; top: 90; decimals: 7; notation: DoubleValidator.StandardNotation; locale: "C" }
        }
        Label { text: qsTr("Longitude"); color: Theme.text }
        TextField {
            id: longitudeField
            Layout.fillWidth: true
            placeholderText: "13.40500"
            Accessible.name: qsTr("Longitude")
            validator: DoubleValidator { bottom: -180; top: 180; decimals: 7; notation: DoubleValidator.StandardNotation; locale: "C" }
            onAccepted: if (dialog.valid) dialog.accept()
        }
    }
    footer: DialogButtonBox {
        Button {
            text: qsTr("Share")
            enabled: dialog.valid
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Host a server here: name, where to listen, and the host's own account.
FormPage {
    id: form
    title: qsTr("Host a server")
    subtitle: qsTr("Natter starts a chat server on this computer. People on your network join it with the address shown once it runs.")

    property string error

    Label { text: qsTr("Server name"); color: Theme.text }
    TextField {
        id: serverName
        objectName: "serverNameField"
        Layout.fillWidth: true
        text: App.machineName
        placeholderText: qsTr("e.g. Office")
        Accessible.name: qsTr("Server name")
        focus: true
    }

    Label { text: qsTr("Listen on"); color: Theme.text }
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        ComboBox {
            id: listenAddress
            Layout.fillWidth: true
            Accessible.name: qsTr("Network interface")
            textRole: "label"
            valueRole: "address"
            model: {
                const entries = [
                    { label: qsTr("All interfaces (others can join)"), address: "0.0.0.0" },
                    { label: qsTr("This computer only"), address: "127.0.0.1" }
                ]
                for (const address of App.hosting.localAddresses())
                    entries.push({ label: address, address: address })
                return entries
            }
        }
        SpinBox {
            id: port
            objectName: "hostPortField"
            from: 0
            to: 65535
            value: 8000
            editable: true
            Accessible.name: qsTr("Port")
            textFromValue: (value) => value === 0 ? qsTr("any") : String(value)
        }
    }

    Label { text: qsTr("Your username"); color: Theme.text }
    TextField {
        id: username
        objectName: "hostUsernameField"
        Layout.fillWidth: true
        placeholderText: qsTr("2–32 letters, digits, . _ -")
        Accessible.name: qsTr("Your username")
    }
    Label { text: qsTr("Password"); color: Theme.text }
    TextField {
        id: password
        objectName: "hostPasswordField"
        Layout.fillWidth: true
        echoMode: TextInput.Password
        placeholderText: qsTr("At least 8 characters")
        Accessible.name: qsTr("Password")
        onAccepted: hostButton.clicked()
    }

    Label {
        Layout.fillWidth: true
        visible: form.error.length > 0
        text: form.error
        color: Theme.danger
        wrapMode: Text.Wrap
    }

    Button {
        id: hostButton
        objectName: "hostButton"
        Layout.fillWidth: true
        Layout.topMargin: 8
        highlighted: true
        enabled: !App.busy && serverName.text.trim().length > 0 && username.text.trim().length > 1
                 && password.text.length >= 8
        text: App.busy ? qsTr("Starting…") : qsTr("Start hosting")
        onClicked: {
            form.error = ""
            App.hostServer(serverName.text.trim(), listenAddress.currentValue, port.value,
                           username.text.trim(), password.text)
        }
    }

    Connections {
        target: App
        function onHostFailed(message) { form.error = message }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Preferences: privacy, notifications, look, language, and the current account.
Dialog {
    id: dialog
    title: qsTr("Settings")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: 460
    standardButtons: Dialog.Close
    onOpened: readReceipts.forceActiveFocus()

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        Label { text: qsTr("Privacy"); font.weight: Font.DemiBold; color: Theme.text }
        Switch {
            id: readReceipts
            text: qsTr("Send read receipts")
            checked: App.settings.sendReadReceipts
            onToggled: App.settings.sendReadReceipts = checked
        }
        Switch {
            text: qsTr("Let others see when I am typing")
            checked: App.settings.sendTyping
            onToggled: App.settings.sendTyping = checked
        }

        Label { text: qsTr("Notifications"); font.weight: Font.DemiBold; color: Theme.text; Layout.topMargin: 8 }
        Switch {
            text: qsTr("Desktop notifications for new messages")
            checked: App.settings.notifications
            onToggled: App.settings.notifications = checked
        }

        Label { text: qsTr("Look"); font.weight: Font.DemiBold; color: Theme.text; Layout.topMargin: 8 }
        GridLayout {
            columns: 2
            Layout.fillWidth: true
            Label { text: qsTr("Theme"); color: Theme.text }
            ComboBox {
                Layout.fillWidth: true
                Accessible.name: qsTr("Theme")
                textRole: "label"
                valueRole: "value"
                model: [
                    { label: qsTr("Follow the system"), value: "system" },
                    { label: qsTr("Light"), value: "light" },
                    { label: qsTr("Dark"), value: "dark" }
                ]
                Component.onCompleted: currentIndex = indexOfValue(App.settings.theme)
                onActivated: App.settings.theme = currentValue
            }
            Label { text: qsTr("Language"); color: Theme.text }
            ComboBox {
                Layout.fillWidth: true
                Accessible.name: qsTr("Language")
                textRole: "label"
                valueRole: "value"
                model: [
                    { label: qsTr("System language"), value: "" },
                    { label: "English", value: "en" },
                    { label: "Deutsch", value: "de" },
                    { label: "日本語", value: "ja" }
                ]
                Component.onCompleted: currentIndex = Math.max(0, indexOfValue(App.settings.language))
                onActivated: App.settings.language = currentValue
            }
        }

        Label { text: qsTr("Sign-ins"); font.weight: Font.DemiBold; color: Theme.text; Layout.topMargin: 8 }
        Label {
            objectName: "secretStorage"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.mutedText
            text: App.secretStorage === "keyring" ? qsTr("Tokens and cookies are kept in the desktop's keyring.")
                : App.secretStorage === "file" ? qsTr("No keyring is available: tokens and cookies are kept in %1, readable only by you.").arg(App.secretsFile)
                : qsTr("Tokens and cookies go to the desktop's keyring.")
        }

        Label {
            visible: App.currentAccount !== null
            text: qsTr("Account")
            font.weight: Font.DemiBold
            color: Theme.text
            Layout.topMargin: 8
        }
        RowLayout {
            visible: App.currentAccount !== null
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.mutedText
                text: App.currentAccount ? qsTr("%1 on %2 (%3)").arg(App.currentAccount.label)
                                               .arg(App.currentAccount.serverAddress).arg(App.currentAccount.dialect) : ""
            }
            Button {
                text: qsTr("Sign out")
                flat: true
                onClicked: { App.removeAccount(App.currentAccount.accountId); dialog.close() }
            }
        }
    }
}

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Natter.Ui

ApplicationWindow {
    id: window
    width: 1200
    height: 780
    minimumWidth: 900
    minimumHeight: 600
    visible: true
    title: App.currentAccount ? qsTr("Natter — %1").arg(App.currentAccount.serverAddress) : qsTr("Natter")
    color: Theme.window
    font.family: Theme.fontFamily

    Material.theme: Theme.dark ? Material.Dark : Material.Light
    Material.accent: Theme.accent
    Material.primary: Theme.accent
    Material.background: Theme.window
    Material.foreground: Theme.text

    // Shown when the user adds another server from the rail.
    property bool addingServer: false
    readonly property bool welcome: App.accounts.count === 0 || addingServer

    Loader {
        anchors.fill: parent
        // Nothing until the saved accounts are back (their tokens come from the keyring).
        sourceComponent: App.restoring ? null : window.welcome ? welcomeComponent : shellComponent
    }

    Component {
        id: welcomeComponent
        WelcomePage {
            canCancel: App.accounts.count > 0
            onCancelled: window.addingServer = false
        }
    }

    Component {
        id: shellComponent
        ChatShell {
            onAddServerRequested: window.addingServer = true
        }
    }

    Connections {
        target: App
        function onJoined() { window.addingServer = false }
    }
}

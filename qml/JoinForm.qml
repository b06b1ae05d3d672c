import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// Join a server: one heard on the LAN or typed by hand; a Natter server takes a
// username and password (or a new account), any other server a token.
FormPage {
    id: form
    title: qsTr("Join a server")

    property string address
    property bool probing: false
    property bool probedOk: false
    property bool natter: true
    property string serverName
    property string serverSoftware // the HTTP Server header of a server that is not Natter's
    property string error
    // The server's certificate needs the user's word (certificateQuestion).
    property string certificateFingerprint
    property string certificateHex
    property string certificateMessage
    property bool certificateTrustable: false

    // pickedFromList: the user chose a beacon's row (its fingerprint may be trusted).
    function choose(text, pickedFromList) {
        address = text
        addressField.text = text

        probing = true
        probedOk = false
        keepInView = null
        error = ""
        certificateMessage = ""
        App.probeServer(text, pickedFromList === true)
    }

    Label {
        text: qsTr("On your network")
        font.weight: Font.DemiBold
        color: Theme.text
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: Math.max(56, Math.min(lanList.contentHeight, 160))
        radius: 8
        color: Theme.sidebar
        border.color: Theme.divider

        ListView {
            id: lanList
            anchors.fill: parent
            anchors.margins: 1
            clip: true
            model: App.lanServers
            activeFocusOnTab: true
            keyNavigationEnabled: true
            delegate: ItemDelegate {
                id: serverRow
                required property string name
                required property string host
                required property int port
                required property var dialects
                required property bool manual
                required property bool reachable
                required property bool checking
                objectName: "lanServer:" + host + ":" + port
                width: ListView.view.width
                text: name
                Accessible.name: qsTr("%1 at %2:%3").arg(name).arg(host).arg(port)
                highlighted: form.address === host + ":" + port
                contentItem: RowLayout {
                    spacing: 12
                    AvatarBadge { name: serverRow.name; size: 32 }
                    ColumnLayout {
                        spacing: 0
                        Layout.fillWidth: true
                        Label { Layout.fillWidth: true; text: name; elide: Text.ElideRight; font.weight: Font.DemiBold; color: Theme.text }
                        Label {
                            Layout.fillWidth: true
                            elide: Text.ElideRight
                            text: !serverRow.manual ? serverRow.host + ":" + serverRow.port
                                : serverRow.checking ? qsTr("%1:%2 · checking…").arg(serverRow.host).arg(serverRow.port)
                                : serverRow.reachable ? qsTr("%1:%2 · added by hand").arg(serverRow.host).arg(serverRow.port)
                                : qsTr("%1:%2 · not answering").arg(serverRow.host).arg(serverRow.port)
                            color: Theme.mutedText
                            font.pixelSize: 12
                        }
                    }
                    RailToolButton {
                        visible: serverRow.manual
                        iconName: "close"
                        iconSize: 14
                        implicitWidth: 32; implicitHeight: 32
                        toolTip: qsTr("Forget this address")
                        onClicked: App.lanServers.removeManualHost(serverRow.host + ":" + serverRow.port)
                    }
                }
                onClicked: form.choose(host + ":" + port, true)
            }
            Label {
                anchors.centerIn: parent
                visible: lanList.count === 0
                text: qsTr("Listening for servers on your network…")
                color: Theme.mutedText
            }
        }
    }

    Label {
        text: qsTr("Or type an address")
        font.weight: Font.DemiBold
        color: Theme.text
        Layout.topMargin: 8
    }
    RowLayout {
        Layout.fillWidth: true
        TextField {
            id: addressField
            objectName: "addressField"
            Layout.fillWidth: true
            placeholderText: qsTr("host:port, e.g. 192.168.1.23:8000")
            Accessible.name: qsTr("Server address")
            focus: true
            onAccepted: form.choose(text.trim())
        }
        Button {
            objectName: "checkButton"
            text: qsTr("Check")
            enabled: addressField.text.trim().length > 0 && !form.probing
            onClicked: form.choose(addressField.text.trim())
        }
    }
    // A certificate nobody vouches for (a LAN host's own): compare, then trust once.
    Rectangle {
        objectName: "certificatePrompt"
        Layout.fillWidth: true
        visible: form.certificateMessage.length > 0
        implicitHeight: certificateColumn.implicitHeight + 24
        radius: 8
        color: Theme.sidebar
        border.color: form.certificateTrustable ? Theme.divider : Theme.danger

        ColumnLayout {
            id: certificateColumn
            anchors.fill: parent
            anchors.margins: 12
            spacing: 8
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: form.certificateTrustable ? Theme.text : Theme.danger
                text: form.certificateTrustable
                      ? qsTr("%1 shows a certificate no authority vouches for. Ask the person who hosts it "
                             + "for the fingerprint in their hosting banner and compare:").arg(form.address)
                      : form.certificateMessage
            }
            Label {
                objectName: "certificateFingerprint"
                Layout.fillWidth: true
                visible: form.certificateTrustable
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                color: Theme.text
                text: form.certificateFingerprint
            }
            Button {
                objectName: "trustCertificateButton"
                visible: form.certificateTrustable
                text: qsTr("They match — trust this server")
                onClicked: {
                    App.trustCertificate(form.address, form.certificateHex)
                    form.choose(form.address)
                }
            }
            // Or the authority that signed it (a company's own CA), as a PEM file.
            RowLayout {
                Layout.fillWidth: true
                visible: form.certificateTrustable
                TextField {
                    id: caField
                    objectName: "caFileField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("or the CA certificate that signed it (PEM file)")
                    Accessible.name: qsTr("CA certificate file")
                }
                Button {
                    objectName: "useCaButton"
                    enabled: caField.text.trim().length > 0
                    text: qsTr("Use this CA")
                    onClicked: {
                        const problem = App.addCaCertificate(form.address, caField.text.trim())
                        if (problem.length > 0)
                            form.error = problem
                        else
                            form.choose(form.address)
                    }
                }
            }
        }
    }

    Label {
        Layout.fillWidth: true
        visible: form.probing || form.probedOk
        wrapMode: Text.Wrap
        color: Theme.mutedText
        text: form.probing ? qsTr("Checking %1…").arg(form.address)
            : form.natter ? qsTr("Natter server “%1” found.").arg(form.serverName || form.address)
            : qsTr("%1 answers, but it is not a Natter server%2. Choose the dialect it speaks and give what it signs in with.")
                  .arg(form.address).arg(form.serverSoftware.length > 0 ? qsTr(" (it says it runs %1)").arg(form.serverSoftware) : "")
    }

    ColumnLayout {
        Layout.fillWidth: true
        visible: form.probedOk
        spacing: 12

        Label { text: qsTr("Dialect"); color: Theme.text }
        ComboBox {
            id: dialect
            objectName: "dialectBox"
            Layout.fillWidth: true
            model: App.dialects
            currentIndex: Math.max(0, App.dialects.indexOf("rooms"))
            Accessible.name: qsTr("Dialect")
            // Each dialect asks for other things; FormPage keeps the button that finishes in view.
        }

        // A Natter server: sign in or register.
        ColumnLayout {
            Layout.fillWidth: true
            visible: form.natter
            spacing: 12
            Label { text: qsTr("Username"); color: Theme.text }
            TextField {
                id: username
                objectName: "usernameField"
                Layout.fillWidth: true
                Accessible.name: qsTr("Username")
            }
            Label { text: qsTr("Password"); color: Theme.text }
            TextField {
                id: password
                objectName: "passwordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                Accessible.name: qsTr("Password")
                onAccepted: joinButton.clicked()
            }
            CheckBox {
                id: registerNew
                objectName: "registerCheck"
                text: qsTr("Create a new account")
            }
        }

        // Any other server: what its dialect signs in with, said in words.
        ColumnLayout {
            id: credentials
            Layout.fillWidth: true
            visible: !form.natter
            spacing: 12
            readonly property bool usesCookie: dialect.currentText === "social"
            Label {
                objectName: "credentialsHelp"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.mutedText
                text: dialect.currentText === "social"
                      ? qsTr("This server signs you in with a session cookie. Sign in on its website, then copy the cookie's name and value from your browser (Storage → Cookies).")
                    : dialect.currentText === "cable"
                      ? qsTr("Paste the JWT the server gave you; the app connects to /cable?token=….")
                    : dialect.currentText === "chats"
                      ? qsTr("Paste the JWT the server gave you; the app connects to /chats/ws?token=…. Chats open by their id.")
                    : dialect.currentText === "gateway"
                      ? qsTr("Paste your OAuth token; the app sends it in IDENTIFY on the server's /ws.")
                      : qsTr("Paste the JWT the server gave you; each room connects to /ws/chat/ROOM/?token=….")
            }
            Label { visible: !credentials.usesCookie; text: qsTr("Token"); color: Theme.text }
            TextField {
                id: token
                objectName: "tokenField"
                visible: !credentials.usesCookie
                Layout.fillWidth: true
                Accessible.name: qsTr("Token")
                placeholderText: qsTr("Paste the token the server gave you")
            }
            RowLayout {
                Layout.fillWidth: true
                visible: credentials.usesCookie
                spacing: 8
                ColumnLayout {
                    spacing: 4
                    Label { text: qsTr("Cookie name"); color: Theme.text }
                    TextField {
                        id: cookieName
                        objectName: "cookieNameField"
                        Layout.preferredWidth: 140
                        text: "session"
                        Accessible.name: qsTr("Cookie name")
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 4
                    Label { text: qsTr("Cookie value"); color: Theme.text }
                    TextField {
                        id: cookieValue
                        objectName: "cookieValueField"
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Cookie value")
                        placeholderText: qsTr("the session cookie's value")
                    }
                }
            }
            Label { text: qsTr("WebSocket path (optional)"); color: Theme.text }
            TextField {
                id: path
                objectName: "pathField"
                Layout.fillWidth: true
                Accessible.name: qsTr("WebSocket path")
                // Spec 004 serves on /ws (Natter's gateway is on /gateway).
                text: dialect.currentText === "gateway" ? "/ws" : ""
                placeholderText: qsTr("the dialect's usual path")
            }
            Label { text: qsTr("Name in the sidebar (optional)"); color: Theme.text }
            TextField {
                id: railName
                objectName: "railNameField"
                Layout.fillWidth: true
                Accessible.name: qsTr("Name in the sidebar")
                placeholderText: qsTr("e.g. Work chat")
            }
        }

        Label {
            Layout.fillWidth: true
            visible: form.error.length > 0
            text: form.error
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        Button {
            id: joinButton
            objectName: "joinButton"
            Layout.fillWidth: true
            highlighted: true
            enabled: !App.busy && (form.natter ? username.text.trim().length > 0 && password.text.length > 0
                                   : credentials.usesCookie ? cookieName.text.trim().length > 0 && cookieValue.text.trim().length > 0
                                   : token.text.trim().length > 0)
            text: App.busy ? qsTr("Signing in…")
                : !form.natter ? qsTr("Connect")
                : registerNew.checked ? qsTr("Create account") : qsTr("Sign in")
            onClicked: {
                form.error = ""
                if (form.natter)
                    App.joinServer(form.address, dialect.currentText, username.text.trim(), password.text,
                                   registerNew.checked)
                else if (credentials.usesCookie)
                    App.joinWithToken(form.address, dialect.currentText, path.text, "", "",
                                      cookieName.text.trim() + "=" + cookieValue.text.trim(), railName.text)
                else
                    App.joinWithToken(form.address, dialect.currentText, path.text, token.text, "", "", railName.text)
            }
        }
    }

    Label {
        Layout.fillWidth: true
        visible: !form.probedOk && form.error.length > 0
        text: form.error
        color: Theme.danger
        wrapMode: Text.Wrap
    }

    Connections {
        target: App
        function onProbed(address, reachable, natter, name, dialects, registrationOpen, software) {
            if (address !== form.address)
                return
            form.probing = false
            if (!reachable) {
                form.probedOk = false
                form.error = qsTr("No server answers at %1.").arg(address)
                return
            }
            form.probedOk = true
            form.natter = natter
            // Natter's own dialect wherever the server has it; the others stay selectable.
            dialect.currentIndex = Math.max(0, App.dialects.indexOf(dialects.indexOf("natter") >= 0 ? "natter" : "rooms"))
            // Remember typed addresses for networks where the LAN beacon does not reach.
            let heard = false
            for (let row = 0; row < lanList.count; ++row) {
                const item = lanList.itemAtIndex(row)
                if (item && item.host + ":" + item.port === address)
                    heard = true
            }
            if (!heard)
                App.lanServers.addManualHost(address)
            form.serverName = name
            form.serverSoftware = software || ""
            registerNew.enabled = !natter || registrationOpen
            // What comes next: the first field to fill has focus, and the button that finishes stays in view.
            form.keepInView = joinButton
            Qt.callLater(() => (natter ? username : dialect).forceActiveFocus())
        }
        function onJoinFailed(message) { form.error = message }
        function onCertificateQuestion(address, fingerprint, fingerprintHex, message, canTrust) {
            if (address !== form.address)
                return
            form.probing = false
            form.probedOk = false
            form.certificateFingerprint = fingerprint
            form.certificateHex = fingerprintHex
            form.certificateMessage = message
            form.certificateTrustable = canTrust
        }
    }
}
